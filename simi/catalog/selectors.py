"""Reads of the public catalogue: which services are offered where, and which
fee and service standard are in force on a given day.

The catalogue is public, so nothing here is scoped to a caller. ``fee_in_force``
gives the amount a bill must use on the day it is issued; the bill stores that
amount, so a later fee change never alters an issued bill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.catalog.models import (
    ApplicantCategory,
    BillingRule,
    Fee,
    RequiredDocument,
    ServiceType,
    SlaRule,
)
from simi.catalog.periods import covers, in_force_on
from simi.core.codes import CommonCode
from simi.core.errors import NotFound, ValidationFailed
from simi.core.models import Office

# Codes are slugs; anything else cannot exist and never reaches the database
# (PostgreSQL refuses NUL characters in parameters).
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,60}")


@dataclass(frozen=True)
class FeesInForce:
    """The fee components of one service in force on one day."""

    on: date
    fees: list[Fee] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(fee.amount for fee in self.fees)

    @property
    def is_set(self) -> bool:
        """False when no fee is in force that day (unlike a fee of Rp0)."""
        return bool(self.fees)

    @property
    def all_confirmed(self) -> bool:
        return all(fee.is_confirmed for fee in self.fees)


def fee_in_force(
    service_type: ServiceType, on: date | None = None, component: str | None = None
) -> FeesInForce:
    """Fees of ``service_type`` in force on ``on`` (today in Asia/Jakarta by
    default), all components or just ``component``."""
    day = on or timezone.localdate()
    queryset = service_type.fees.filter(in_force_on(day))
    if component is not None:
        queryset = queryset.filter(component=component)
    return FeesInForce(on=day, fees=list(queryset.order_by("component")))


def sla_in_force(service_type: ServiceType, on: date | None = None) -> SlaRule | None:
    day = on or timezone.localdate()
    return service_type.sla_rules.filter(in_force_on(day)).first()


def _office(office: Office | str) -> Office:
    if isinstance(office, Office):
        return office
    found = (
        Office.objects.filter(code=office, is_active=True).first()
        if CODE_PATTERN.fullmatch(office)
        else None
    )
    if found is None:
        raise ValidationFailed.for_field(
            "office", _("There is no office with this code."), code=CommonCode.UNKNOWN_OFFICE
        )
    return found


def services_offered(
    *,
    office: Office | str | None = None,
    applicant_category: str | None = None,
    kind: str | None = None,
    active_only: bool = True,
) -> QuerySet[ServiceType]:
    """Services in catalogue order. ``applicant_category`` citizen or foreigner
    also finds services open to both; ``office`` is an Office or its code."""
    queryset = ServiceType.objects.all()
    if active_only:
        queryset = queryset.filter(is_active=True)
    if office is not None:
        queryset = queryset.filter(offices=_office(office))
    if applicant_category in (ApplicantCategory.CITIZEN, ApplicantCategory.FOREIGNER):
        queryset = queryset.filter(
            applicant_category__in=[applicant_category, ApplicantCategory.BOTH]
        )
    elif applicant_category == ApplicantCategory.BOTH:
        queryset = queryset.filter(applicant_category=ApplicantCategory.BOTH)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("display_order", "code")


def with_details(queryset: QuerySet[ServiceType], *, on: date) -> QuerySet[ServiceType]:
    """Prefetch what a catalogue entry shows, so a page of services costs a
    fixed number of queries whatever its length."""
    return queryset.select_related("billing_rule").prefetch_related(
        Prefetch(
            "fees",
            queryset=Fee.objects.filter(in_force_on(on)).order_by("component"),
            to_attr="fees_on_day",
        ),
        Prefetch(
            "sla_rules", queryset=SlaRule.objects.filter(in_force_on(on)), to_attr="slas_on_day"
        ),
        Prefetch("documents", queryset=RequiredDocument.objects.order_by("display_order", "code")),
        Prefetch("offices", queryset=Office.objects.filter(is_active=True).order_by("code")),
    )


@dataclass(frozen=True)
class CatalogEntry:
    """A service with what applies on one day, ready for a page or the API."""

    service: ServiceType
    fees: FeesInForce
    sla: SlaRule | None
    documents: list[RequiredDocument]
    offices: list[Office]
    billing_rule: BillingRule | None


def catalog_entry(service: ServiceType, *, on: date) -> CatalogEntry:
    """Build the entry from ``with_details`` prefetches (or query if absent)."""
    fees = getattr(service, "fees_on_day", None)
    slas = getattr(service, "slas_on_day", None)
    sla = (
        next((s for s in slas if covers(s, on)), None)
        if slas is not None
        else sla_in_force(service, on)
    )
    return CatalogEntry(
        service=service,
        fees=FeesInForce(on=on, fees=list(fees)) if fees is not None else fee_in_force(service, on),
        sla=sla,
        documents=list(service.documents.all()),
        offices=[o for o in service.offices.all() if o.is_active],
        billing_rule=getattr(service, "billing_rule", None),
    )


def required_documents(service: ServiceType) -> list[RequiredDocument]:
    """The documents an application for ``service`` needs, in display order.
    Costs no query when the service came with ``DOCUMENTS_IN_ORDER`` prefetched
    (lists of applications do that, so a page of 50 costs one query, not 100)."""
    if "documents" in getattr(service, "_prefetched_objects_cache", {}):
        return list(service.documents.all())
    return list(service.documents.order_by(*DOCUMENT_ORDER))


DOCUMENT_ORDER = ("display_order", "code")


def documents_in_order(through: str = "") -> Prefetch[str, QuerySet[RequiredDocument], str]:
    """A prefetch of a service's documents in display order, ``through`` a
    relation (``"service_type__"``) when the queryset is of another model."""
    return Prefetch(
        f"{through}documents", queryset=RequiredDocument.objects.order_by(*DOCUMENT_ORDER)
    )


def service_get(*, code: str, active_only: bool = True) -> ServiceType:
    """One service by code; unknown and unpublished codes alike answer NotFound."""
    if not CODE_PATTERN.fullmatch(code):
        raise NotFound()
    found = services_offered(active_only=active_only).filter(code=code).first()
    if found is None:
        raise NotFound()
    return found


def catalog_entries(
    *,
    on: date | None = None,
    office: Office | str | None = None,
    applicant_category: str | None = None,
    kind: str | None = None,
) -> list[CatalogEntry]:
    day = on or timezone.localdate()
    services = with_details(
        services_offered(office=office, applicant_category=applicant_category, kind=kind), on=day
    )
    return [catalog_entry(service, on=day) for service in services]


def catalog_entry_by_code(*, code: str, on: date | None = None) -> CatalogEntry:
    if not CODE_PATTERN.fullmatch(code):
        raise NotFound()
    day = on or timezone.localdate()
    service = with_details(services_offered().filter(code=code), on=day).first()
    if service is None:
        raise NotFound()
    return catalog_entry(service, on=day)


def billing_rule_for(service: ServiceType) -> BillingRule | None:
    """How long a bill for ``service`` stays payable and what happens after
    (``expiry_minutes``, ``on_expiry`` cancel|reissue); None when unset."""
    return BillingRule.objects.filter(service_type=service).first()
