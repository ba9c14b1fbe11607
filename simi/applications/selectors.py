"""Reads of applications: the applicant's own, and the public tracking view.

Tracking answers without sign-in, so it shows the status timeline, the
service, the office and the holder's initials, and nothing else personal.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import get_language

from simi.accounts.actors import Actor
from simi.accounts.models import HouseholdMember
from simi.applications.access import may_work
from simi.applications.codes import Action
from simi.applications.models import Application, ApplicationEvent, EventNote, Status
from simi.applications.requirements import applied_on, permit_kind_extended
from simi.catalog.languages import localized
from simi.catalog.selectors import documents_in_order
from simi.core import trackingcodes
from simi.core.errors import NotFound
from simi.envconf import env_int
from simi.oversight.models import StayPermit
from simi.oversight.register.permits import permits_to_extend as register_permits_to_extend
from simi.people.models import initials

# Public look-ups per client address (pages and API alike); an office may
# change it with SIMI_TRACK_RATE_LIMIT.
TRACK_LIMIT = env_int("SIMI_TRACK_RATE_LIMIT", 30)
TRACK_WINDOW_SECONDS = 60


def applications_own(*, actor: Actor) -> QuerySet[Application]:
    """The actor's applications, newest first (none for anonymous)."""
    if not actor.is_authenticated:
        return Application.objects.none()
    return (
        Application.objects.filter(applicant=actor)
        .select_related("service_type", "office")
        # what each row shows of the service's required details, in one query
        .prefetch_related(documents_in_order(through="service_type__"))
        # the household member it is for (None: the account holder), in the same query
        .annotate(
            member_public_id=Subquery(
                HouseholdMember.objects.filter(
                    account_id=OuterRef("applicant_id"), person_id=OuterRef("person_id")
                ).values("public_id")[:1]
            )
        )
    )


def application_get_own(*, actor: Actor, public_id: uuid.UUID) -> Application:
    """One of the actor's applications; anyone else's answers NotFound."""
    found = applications_own(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    return found


def applications_with_issued_documents(*, actor: Actor) -> QuerySet[Application]:
    """The actor's applications that issued a document, newest issue first."""
    if not actor.is_authenticated:
        return Application.objects.none()
    return (
        Application.objects.filter(applicant=actor, issued_document__isnull=False)
        .select_related("service_type", "office", "issued_document")
        .order_by("-issued_at", "-id")
    )


def application_with_issued_document(*, actor: Actor, document_id: uuid.UUID) -> Application:
    """The actor's application that issued ``document_id``; anyone else's answers NotFound."""
    found = (
        applications_with_issued_documents(actor=actor)
        .filter(issued_document__public_id=document_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def permits_to_extend(*, application: Application) -> list[StayPermit]:
    """What the applicant of an extension chooses from: her own permits of the
    kind the service extends, current or recently ended on the day of the
    application (the register decides, ``permits_to_extend``); none when the
    service extends nothing."""
    kind = permit_kind_extended(application.service_type)
    if kind is None:
        return []
    return register_permits_to_extend(
        holder=application.person, kind=kind, applied_on=applied_on(application)
    )


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
    rows = _track_rows(code)
    if not rows:
        raise NotFound()
    status, submitted_at, sla_due_date, name_id, name_en, office_name, name = rows[0][:7]
    statuses, notes = _labels(get_language())
    return TrackingView(
        tracking_code=trackingcodes.display(code),
        status=status,
        status_label=statuses[status],
        service_name=localized(SimpleNamespace(name_id=name_id, name_en=name_en), "name"),
        office_name=office_name,
        holder_initials=initials(str(name or "")),
        submitted_at=submitted_at,
        sla_due_date=sla_due_date,
        timeline=[
            TimelineStep(
                at=at,
                status=status_to,
                status_label=statuses[status_to],
                note=note,
                note_label=notes[note],
            )
            for *_, at, status_to, note in rows
            if at is not None  # LEFT JOIN: an application without events has one empty row
        ],
    )


@functools.cache
def _labels(language: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """Status and timeline-note labels in one language, translated once per
    process instead of on every look-up."""
    with translation.override(language):
        return (
            {str(value): str(label) for value, label in Status.choices},
            {str(value): str(label) for value, label in EventNote.choices},
        )


# Tracking is the public endpoint that takes the most traffic, so it is one
# round trip: the application joined to its service, office and holder, and
# LEFT JOINed to its events in timeline order (one row per event). Building
# and compiling the ORM query cost several times more than running it, so it
# is compiled once per process and database, then run with its parameter; the
# ORM's converters still apply (time zones on every row; the holder's name is
# decrypted once, from the first row). bench/tracking_bench.py measures it.
_APPLICATION_COLUMNS = 7


@functools.cache
def _track_query(alias: str) -> tuple[str, Any, dict[int, Any], dict[int, Any]]:
    query = (
        Application.objects.using(alias)
        .filter(tracking_code="?")
        .order_by("events__at", "events__id")
        .values_list(
            "status",
            "submitted_at",
            "sla_due_date",
            "service_type__name_id",
            "service_type__name_en",
            "office__name",
            "person__full_name",
            "events__at",
            "events__status_to",
            "events__note",
        )
    )
    compiler = query.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    if len(params) != 1:
        raise AssertionError(f"the tracking query takes one parameter, not {params!r}")
    converters = compiler.get_converters([column for column, _, _ in compiler.select])
    first = {i: c for i, c in converters.items() if i < _APPLICATION_COLUMNS}
    every = {i: c for i, c in converters.items() if i >= _APPLICATION_COLUMNS}
    return sql, compiler, first, every


def _track_rows(code: str) -> list[tuple[Any, ...]]:
    sql, compiler, first, every = _track_query(connection.alias)
    # PostgreSQL: prepared on its first use on a connection (simi/core/postgresql).
    with getattr(connection, "prepared_cursor", connection.cursor)() as cursor:
        cursor.execute(sql, [code])
        rows = cursor.fetchall()
    if rows and first:
        rows[0] = next(compiler.apply_converters(rows[:1], first))
    if every:
        rows = list(compiler.apply_converters(rows, every))
    return rows


def application_timeline(application: Application) -> list[TimelineStep]:
    return [_step(event) for event in application.events.all()]


# --- the back office ----------------------------------------------------------

# States where the service-standard clock runs (submitted, not yet issued or closed).
CLOCK_RUNNING = (
    Status.REGISTERED,
    Status.VERIFYING,
    Status.MORE_DOCUMENTS_REQUESTED,
    Status.INTERVIEW,
    Status.AWAITING_PAYMENT,
    Status.PAID,
    Status.APPROVED,
)
# What each queue shows by default.
QUEUES: dict[str, tuple[str, ...]] = {
    "counter": (Status.REGISTERED, Status.VERIFYING, Status.INTERVIEW, Status.ISSUED),
    "decide": (Status.PAID, Status.APPROVED),
    "waiting": (Status.MORE_DOCUMENTS_REQUESTED, Status.AWAITING_PAYMENT),
    "open": (*CLOCK_RUNNING, Status.ISSUED),
}


def applications_for_staff(
    *,
    actor: Actor,
    queue: str | None = None,
    status: str | None = None,
    sla: str | None = None,
    tracking_code: str | None = None,
    today: date | None = None,
) -> QuerySet[Application]:
    """The work queue of the actor's offices: oldest due date first.

    ``sla``: ``breached`` (due date passed), ``near`` (due today or on the next
    working day of the office). ``tracking_code`` finds one application.
    """
    from simi.accounts.scoping import scope_by_office
    from simi.core.workdays import WorkingCalendar

    if not actor.is_authenticated or not may_work(actor):
        return Application.objects.none()
    queryset = scope_by_office(
        Application.objects.exclude(status=Status.DRAFT).select_related(
            "service_type", "office", "person"
        ),
        actor,
    )
    if tracking_code:
        code = trackingcodes.normalize(tracking_code, field="q")  # a typo is a field error
        return queryset.filter(tracking_code=code)
    if status:
        queryset = queryset.filter(status=status)
    elif queue in QUEUES:
        queryset = queryset.filter(status__in=QUEUES[queue])
    day = today or timezone.localdate()
    if sla == "breached":
        queryset = queryset.filter(status__in=CLOCK_RUNNING, sla_due_date__lt=day)
    elif sla == "near":
        horizon = WorkingCalendar(actor.office).next_working_day(day + timedelta(days=1))
        queryset = queryset.filter(
            status__in=CLOCK_RUNNING, sla_due_date__gte=day, sla_due_date__lte=horizon
        )
    return queryset.order_by("sla_due_date", "submitted_at", "id")


def application_get_staff(*, actor: Actor, public_id: uuid.UUID, purpose: str) -> Application:
    """One application of the actor's offices, with the identity it carries.

    Opening it shows personal data, so the read is audited with its purpose.
    """
    from simi.audit.services import audit_record

    found = applications_for_staff(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    audit_record(
        actor=actor,
        action=Action.VIEWED,
        target=found,
        data={"status": found.status},
        purpose=purpose,
    )
    return found


@dataclass(frozen=True)
class StaffStep:
    at: datetime
    status: str
    status_label: str | Promise
    note_label: str | Promise
    actor_name: str
    actor_role: str
    actor_role_label: str | Promise
    staff_note: str


def _role_label(role: str) -> str | Promise:
    from django.utils.translation import gettext_lazy as _

    from simi.accounts.roles import Role

    if role in Role.values:
        return Role(role).label
    return _("automatic (SIMI)") if role == "system" else role


def staff_timeline(application: Application) -> list[StaffStep]:
    """The timeline with who did each step and what they wrote (staff only)."""
    steps = []
    for event in application.events.select_related("actor"):
        steps.append(
            StaffStep(
                at=event.at,
                status=event.status_to,
                status_label=Status(event.status_to).label,
                note_label=EventNote(event.note).label if event.note in EventNote.values else "",
                actor_name=event.actor.full_name if event.actor is not None else "",
                actor_role=event.actor_role,
                actor_role_label=_role_label(event.actor_role),
                staff_note=event.staff_note or "",
            )
        )
    return steps
