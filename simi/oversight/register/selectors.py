"""Reads of the register, already scoped: staff with ``oversight:read`` see
their office and its service points. Anything else answers empty, and one
record outside the scope NotFound."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from simi.accounts.actors import Actor
from simi.accounts.scoping import scope_by_office
from simi.audit.services import audit_record
from simi.core.errors import NotFound
from simi.oversight.access import can_read
from simi.oversight.codes import Action
from simi.oversight.models import (
    Foreigner,
    LodgingReport,
    PermitStatus,
    Sponsor,
    StayPermit,
    Violation,
)

MAX_EXPIRING_DAYS = 366


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


def foreigners_visible(*, actor: Actor) -> QuerySet[Foreigner]:
    if not actor.is_authenticated or not can_read(actor):
        return Foreigner.objects.none()
    return scope_by_office(Foreigner.objects.all(), actor)


def foreigner_list(*, actor: Actor, filters: ForeignerFilters | None = None) -> QuerySet[Foreigner]:
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


def foreigner_get(*, actor: Actor, public_id: uuid.UUID) -> Foreigner:
    found = (
        foreigners_visible(actor=actor)
        .select_related("person", "kecamatan", "office")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def foreigner_open(*, actor: Actor, public_id: uuid.UUID) -> Foreigner:
    """One foreigner for the full page (personal data): the read is audited."""
    foreigner = foreigner_get(actor=actor, public_id=public_id)
    audit_record(
        actor=actor,
        action=Action.FOREIGNER_VIEWED,
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
        permits=list(foreigner.permits.select_related("sponsor", "office", "extends")),
        movements=list(foreigner.movements.all()),
        travel_documents=list(foreigner.travel_documents.all()),
        lodging_reports=list(foreigner.lodging_reports.select_related("place")[:50]),
        violations=list(foreigner.violations.select_related("permit")),
    )


def permit_get(*, actor: Actor, public_id: uuid.UUID) -> StayPermit:
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


def sponsors_visible(*, actor: Actor) -> QuerySet[Sponsor]:
    if not actor.is_authenticated or not can_read(actor):
        return Sponsor.objects.none()
    return scope_by_office(Sponsor.objects.all(), actor)


def violation_list(*, actor: Actor, status: str = "", kind: str = "") -> QuerySet[Violation]:
    if not actor.is_authenticated or not can_read(actor):
        return Violation.objects.none()
    found = scope_by_office(Violation.objects.all(), actor).select_related(
        "foreigner", "foreigner__person", "permit"
    )
    if status:
        found = found.filter(status=status)
    if kind:
        found = found.filter(kind=kind)
    return found
