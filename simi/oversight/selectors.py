"""Reads of the register, already scoped: staff with ``oversight:read`` see
their office and its service points; partners see their own places only.
Anything else answers empty, and one record outside the scope NotFound."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from simi.accounts.scoping import scope_by_office
from simi.audit.services import audit_record
from simi.core.errors import NotFound
from simi.oversight.lodging import can_report
from simi.oversight.models import (
    Foreigner,
    LodgingImport,
    LodgingPlace,
    LodgingReport,
    PermitStatus,
    StayPermit,
    Violation,
)
from simi.oversight.services import can_read

MAX_EXPIRING_DAYS = 366
# A place "usually reports" when it sent this many reports in the window.
USUAL_REPORTS = 3
USUAL_WINDOW_DAYS = 90


@dataclass(frozen=True)
class ForeignerFilters:
    nationality: str = ""
    kecamatan: str = ""
    permit_kind: str = ""
    expiring_within: int | None = None


def _current_permits(today: date) -> QuerySet[StayPermit]:
    return StayPermit.objects.filter(
        foreigner=OuterRef("pk"), valid_until__gte=today, valid_from__lte=today
    ).exclude(status=PermitStatus.CANCELLED)


def foreigners_visible(*, actor: Any) -> QuerySet[Foreigner]:
    if not can_read(actor):
        return Foreigner.objects.none()
    return scope_by_office(Foreigner.objects.all(), actor)


def foreigner_list(*, actor: Any, filters: ForeignerFilters | None = None) -> QuerySet[Foreigner]:
    """The register with each foreigner's current permit (kind, last day)."""
    filters = filters or ForeignerFilters()
    today = timezone.localdate()
    current = _current_permits(today).order_by("-valid_until")
    found = (
        foreigners_visible(actor=actor)
        .select_related("person", "kecamatan", "office")
        .annotate(
            permit_kind=Subquery(current.values("kind")[:1]),
            permit_until=Subquery(current.values("valid_until")[:1]),
        )
    )
    if filters.nationality:
        found = found.filter(person__nationality=filters.nationality.strip().upper())
    if filters.kecamatan:
        found = found.filter(kecamatan__code=filters.kecamatan.strip())
    permits = StayPermit.objects.exclude(status=PermitStatus.CANCELLED).filter(
        valid_until__gte=today, valid_from__lte=today
    )
    if filters.permit_kind:
        permits = permits.filter(kind=filters.permit_kind)
    if filters.expiring_within is not None:
        days = max(0, min(filters.expiring_within, MAX_EXPIRING_DAYS))
        permits = permits.filter(valid_until__lte=today + timedelta(days=days))
    if filters.permit_kind or filters.expiring_within is not None:
        found = found.filter(pk__in=permits.values("foreigner_id"))
    return found.order_by("-created_at", "-id")


def foreigner_get(*, actor: Any, public_id: uuid.UUID) -> Foreigner:
    found = (
        foreigners_visible(actor=actor)
        .select_related("person", "kecamatan", "office")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def foreigner_open(*, actor: Any, public_id: uuid.UUID) -> Foreigner:
    """One foreigner for the full page (personal data): the read is audited."""
    foreigner = foreigner_get(actor=actor, public_id=public_id)
    audit_record(
        actor=actor,
        action="oversight.foreigner_viewed",
        target=foreigner,
        data={"office": foreigner.office.code},
        purpose="oversight",
    )
    return foreigner


@dataclass(frozen=True)
class ForeignerFile:
    foreigner: Foreigner
    permits: list[StayPermit]
    movements: list[Any]
    travel_documents: list[Any]
    lodging_reports: list[LodgingReport]
    violations: list[Violation]


def foreigner_file(foreigner: Foreigner) -> ForeignerFile:
    return ForeignerFile(
        foreigner=foreigner,
        permits=list(foreigner.permits.select_related("sponsor", "office")),
        movements=list(foreigner.movements.all()),
        travel_documents=list(foreigner.travel_documents.all()),
        lodging_reports=list(foreigner.lodging_reports.select_related("place")[:50]),
        violations=list(foreigner.violations.select_related("permit")),
    )


def permit_get(*, actor: Any, public_id: uuid.UUID) -> StayPermit:
    found = (
        StayPermit.objects.filter(
            public_id=public_id, foreigner__in=foreigners_visible(actor=actor)
        )
        .select_related("foreigner")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def sponsors_visible(*, actor: Any) -> QuerySet[Any]:
    from simi.oversight.models import Sponsor

    if not can_read(actor):
        return Sponsor.objects.none()
    return scope_by_office(Sponsor.objects.all(), actor)


def violation_list(*, actor: Any, status: str = "", kind: str = "") -> QuerySet[Violation]:
    if not can_read(actor):
        return Violation.objects.none()
    found = scope_by_office(Violation.objects.all(), actor).select_related(
        "foreigner", "foreigner__person", "permit"
    )
    if status:
        found = found.filter(status=status)
    if kind:
        found = found.filter(kind=kind)
    return found


def places_visible(*, actor: Any) -> QuerySet[LodgingPlace]:
    if not can_read(actor):
        return LodgingPlace.objects.none()
    return scope_by_office(LodgingPlace.objects.all(), actor).select_related("kecamatan")


def lodging_reports_visible(*, actor: Any) -> QuerySet[LodgingReport]:
    if not can_read(actor):
        return LodgingReport.objects.none()
    return scope_by_office(LodgingReport.objects.all(), actor, "place__office").select_related(
        "place", "foreigner"
    )


def places_stopped_reporting(*, actor: Any, as_of: Any = None) -> list[LodgingPlace]:
    """Places that usually report (3+ reports in the 90 days before their
    last one) but have sent nothing for their ``quiet_days_alert`` days."""
    now = as_of or timezone.now()
    places = (
        places_visible(actor=actor)
        .filter(is_active=True)
        .annotate(last=Max("reports__reported_at"))
    )
    flagged: list[LodgingPlace] = []
    for place in places.exclude(last__isnull=True):
        if now - place.last < timedelta(days=place.quiet_days_alert):
            continue
        recent = place.reports.filter(
            reported_at__gte=place.last - timedelta(days=USUAL_WINDOW_DAYS)
        ).count()
        if recent >= USUAL_REPORTS:
            place.days_quiet = (now - place.last).days  # type: ignore[attr-defined]
            flagged.append(place)
    return flagged


# --- Partners -----------------------------------------------------------------


def partner_places(*, actor: Any) -> QuerySet[LodgingPlace]:
    if not can_report(actor):
        return LodgingPlace.objects.none()
    return (
        LodgingPlace.objects.filter(partners=actor, is_active=True)
        .select_related("kecamatan")
        .annotate(report_count=Count("reports"))
    )


def partner_reports(*, actor: Any, place: LodgingPlace | None = None) -> QuerySet[LodgingReport]:
    if not can_report(actor):
        return LodgingReport.objects.none()
    found = LodgingReport.objects.filter(place__partners=actor).select_related("place")
    if place is not None:
        found = found.filter(place=place)
    return found


def partner_import_get(*, actor: Any, public_id: uuid.UUID) -> LodgingImport:
    if not can_report(actor):
        raise NotFound()
    found = (
        LodgingImport.objects.filter(public_id=public_id, place__partners=actor)
        .select_related("place")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def late_reports(*, actor: Any) -> QuerySet[LodgingReport]:
    return lodging_reports_visible(actor=actor).filter(Q(is_late=True))


def partner_imports(*, actor: Any) -> QuerySet[LodgingImport]:
    if not can_report(actor):
        return LodgingImport.objects.none()
    return LodgingImport.objects.filter(place__partners=actor).select_related("place")
