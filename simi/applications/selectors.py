"""Reads of applications: the applicant's own, and the public tracking view.

Tracking answers without sign-in, so it shows the status timeline, the
service, the office and the holder's initials, and nothing else personal.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise

from simi.applications.models import Application, ApplicationEvent, EventNote, Status
from simi.catalog.languages import localized
from simi.core import trackingcodes
from simi.core.errors import NotFound

# Public look-ups per client address (pages and API alike).
TRACK_LIMIT = 30
TRACK_WINDOW_SECONDS = 60


def applications_own(*, actor: Any) -> QuerySet[Application]:
    """The actor's applications, newest first (none for anonymous)."""
    if not getattr(actor, "is_authenticated", False):
        return Application.objects.none()
    return Application.objects.filter(applicant=actor).select_related("service_type", "office")


def application_get_own(*, actor: Any, public_id: uuid.UUID) -> Application:
    """One of the actor's applications; anyone else's answers NotFound."""
    found = applications_own(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    return found


def initials(full_name: str) -> str:
    """ "Ani Uji Privasi" -> "A. U. P."; the only trace of the holder in public."""
    return " ".join(f"{word[0].upper()}." for word in full_name.split() if word[0].isalnum())


@dataclass(frozen=True)
class TimelineStep:
    at: datetime
    status: str
    status_label: str | Promise
    note: str
    note_label: str | Promise


@dataclass(frozen=True)
class TrackingView:
    tracking_code: str
    status: str
    status_label: str | Promise
    service_name: str
    office_name: str
    holder_initials: str
    submitted_at: datetime | None
    sla_due_date: date | None
    timeline: list[TimelineStep]


def _step(event: ApplicationEvent) -> TimelineStep:
    return TimelineStep(
        at=event.at,
        status=event.status_to,
        status_label=Status(event.status_to).label,
        note=event.note,
        note_label=EventNote(event.note).label,
    )


def application_track(tracking_code: str) -> TrackingView:
    """The public view of a submitted application; ValidationFailed on a
    mistyped code (before any look-up), NotFound on an unknown one."""
    code = trackingcodes.normalize(tracking_code)
    app = (
        Application.objects.filter(tracking_code=code)
        .select_related("service_type", "office", "person")
        .first()
    )
    if app is None:
        raise NotFound()
    name = app.person.full_name if app.person is not None else ""
    return TrackingView(
        tracking_code=trackingcodes.display(code),
        status=app.status,
        status_label=Status(app.status).label,
        service_name=localized(app.service_type, "name"),
        office_name=app.office.name,
        holder_initials=initials(str(name or "")),
        submitted_at=app.submitted_at,
        sla_due_date=app.sla_due_date,
        timeline=[_step(event) for event in app.events.all()],
    )


def application_timeline(application: Application) -> list[TimelineStep]:
    return [_step(event) for event in application.events.all()]
