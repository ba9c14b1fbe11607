"""Reads of lodging, already scoped: staff with ``oversight:read`` see the
places of their office and their reports; partners see their own places only.
Anything else answers empty, and one record outside the scope NotFound."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from simi.accounts.actors import Actor
from simi.accounts.scoping import scope_by_office
from simi.core.errors import NotFound
from simi.oversight.access import can_read, can_report
from simi.oversight.models import LodgingImport, LodgingPlace, LodgingReport

# A place "usually reports" when it sent this many reports in the window.
USUAL_REPORTS = 3
USUAL_WINDOW_DAYS = 90


def places_visible(*, actor: Actor) -> QuerySet[LodgingPlace]:
    if not actor.is_authenticated or not can_read(actor):
        return LodgingPlace.objects.none()
    return scope_by_office(LodgingPlace.objects.all(), actor).select_related("kecamatan")


def lodging_reports_visible(*, actor: Actor) -> QuerySet[LodgingReport]:
    if not actor.is_authenticated or not can_read(actor):
        return LodgingReport.objects.none()
    return scope_by_office(LodgingReport.objects.all(), actor, "place__office").select_related(
        "place", "foreigner"
    )


def places_stopped_reporting(*, actor: Actor, as_of: datetime | None = None) -> list[LodgingPlace]:
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


def partner_places(*, actor: Actor) -> QuerySet[LodgingPlace]:
    if not actor.is_authenticated or not can_report(actor):
        return LodgingPlace.objects.none()
    return (
        LodgingPlace.objects.filter(partners=actor, is_active=True)
        .select_related("kecamatan")
        .annotate(report_count=Count("reports"))
    )


def partner_reports(*, actor: Actor, place: LodgingPlace | None = None) -> QuerySet[LodgingReport]:
    if not actor.is_authenticated or not can_report(actor):
        return LodgingReport.objects.none()
    found = LodgingReport.objects.filter(place__partners=actor).select_related("place")
    if place is not None:
        found = found.filter(place=place)
    return found


def partner_import_get(*, actor: Actor, public_id: uuid.UUID) -> LodgingImport:
    if not actor.is_authenticated or not can_report(actor):
        raise NotFound()
    found = (
        LodgingImport.objects.filter(public_id=public_id, place__partners=actor)
        .select_related("place")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def late_reports(*, actor: Actor) -> QuerySet[LodgingReport]:
    return lodging_reports_visible(actor=actor).filter(Q(is_late=True))


def partner_imports(*, actor: Actor) -> QuerySet[LodgingImport]:
    if not actor.is_authenticated or not can_report(actor):
        return LodgingImport.objects.none()
    return LodgingImport.objects.filter(place__partners=actor).select_related("place")
