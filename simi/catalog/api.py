"""The public service catalogue: services, fees in force, documents, SLAs.

No sign-in needed (``auth=None``); ``Accept-Language`` picks the language of
names and descriptions.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query
from ninja.pagination import LimitOffsetPagination, paginate

from simi.catalog import selectors
from simi.catalog.languages import active_language, localized
from simi.catalog.models import ApplicantCategory, BillingRule, ServiceKind, ServiceType
from simi.catalog.schemas import (
    BillingOut,
    FeeOut,
    OfficeRefOut,
    OnDateFilter,
    RequiredDocumentOut,
    ServiceFilter,
    ServiceOut,
    SlaOut,
)
from simi.catalog.selectors import CatalogEntry
from simi.core.money import format_rupiah
from simi.core.routing import PUBLIC, ScopedRouter

router = ScopedRouter(tags=["service catalogue"])


def service_out(entry: CatalogEntry) -> ServiceOut:
    service, fees, sla, billing = entry.service, entry.fees, entry.sla, entry.billing_rule
    return ServiceOut(
        code=service.code,
        kind=ServiceKind(service.kind),
        applicant_category=ApplicantCategory(service.applicant_category),
        name=localized(service, "name"),
        description=localized(service, "description"),
        is_addon=service.is_addon,
        on=fees.on,
        fee_total=fees.total if fees.is_set else None,
        fee_total_display=format_rupiah(fees.total) if fees.is_set else None,
        fees=[
            FeeOut(
                component=fee.component,
                label=localized(fee, "label"),
                amount=fee.amount,
                amount_display=format_rupiah(fee.amount),
                valid_from=fee.valid_from,
                valid_to=fee.valid_to,
                legal_basis=(
                    fee.legal_basis_en
                    if active_language() == "en" and fee.legal_basis_en
                    else fee.legal_basis
                ),
                source=fee.source,
                note=fee.note,
                confirmed=fee.is_confirmed,
            )
            for fee in fees.fees
        ],
        sla=SlaOut(
            working_days=sla.working_days,
            legal_basis=sla.legal_basis,
            note=sla.note,
            confirmed=sla.is_confirmed,
        )
        if sla is not None
        else None,
        required_documents=[
            RequiredDocumentOut(
                code=doc.code,
                name=localized(doc, "name"),
                description=localized(doc, "description"),
                mandatory=doc.is_mandatory,
                condition=localized(doc, "condition"),
                confirmed=doc.is_confirmed,
            )
            for doc in entry.documents
        ],
        offices=[OfficeRefOut(code=o.code, name=o.name) for o in entry.offices],
        billing=BillingOut(
            expiry_minutes=billing.expiry_minutes,
            on_expiry=BillingRule.OnExpiry(billing.on_expiry),
            legal_basis=billing.legal_basis,
        )
        if billing is not None
        else None,
    )


class _Page:
    """The paginator slices the queryset before rows become schemas, so a page
    prefetches and converts only its own services."""

    def __init__(
        self, queryset: QuerySet[ServiceType], on: date, convert: Callable[[CatalogEntry], Any]
    ) -> None:
        self.queryset, self.on, self.convert = queryset, on, convert

    def all(self) -> "_Page":
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Any]:
        # Clamp: a huge offset must not reach the database (SQLite has 64-bit limits).
        total = self.count()
        start = min(window.start or 0, total)
        stop = total if window.stop is None else min(window.stop, total)
        if start >= stop:
            return []
        rows = selectors.with_details(self.queryset, on=self.on)[start:stop]
        return [self.convert(selectors.catalog_entry(row, on=self.on)) for row in rows]


@router.get("/services", scope=PUBLIC, response=list[ServiceOut], summary="List services")
@paginate(LimitOffsetPagination)
def service_list(request: HttpRequest, filters: Query[ServiceFilter]) -> list[ServiceOut]:
    """Published services in catalogue order, each with its fees, service
    standard, documents and offices. An unknown ``office`` answers 422."""
    on = filters.on or timezone.localdate()
    services = selectors.services_offered(
        office=filters.office, applicant_category=filters.applicant_category, kind=filters.kind
    )
    return _Page(services, on, service_out)  # type: ignore[return-value]


@router.get("/services/{code}", scope=PUBLIC, response=ServiceOut, summary="One service")
def service_get(request: HttpRequest, code: str, filters: Query[OnDateFilter]) -> ServiceOut:
    """An unknown or unpublished code answers 404."""
    return service_out(selectors.catalog_entry_by_code(code=code, on=filters.on))
