"""Reads of appointments: availability (public), the applicant's own
bookings, and the office's day (bookings and queue) for its staff.

Staff see their office and its service points; a record of another office
answers NotFound, like a missing one.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.accounts.models import User
from simi.accounts.scoping import visible_office_ids
from simi.applications.guardians import application_documents
from simi.applications.models import Application
from simi.appointments.codes import Code
from simi.appointments.models import (
    Booking,
    BookingSettings,
    BookingStatus,
    PriorityQuota,
    Quota,
    Session,
    SessionHours,
    Ticket,
    TicketStatus,
)
from simi.catalog import codes as catalog_codes
from simi.catalog.languages import localized
from simi.catalog.models import ServiceType
from simi.catalog.selectors import (
    CODE_PATTERN,
    service_get,
    services_offered,
)
from simi.core.capabilities import Capability
from simi.core.errors import NotFound, PermissionDenied, ValidationFailed
from simi.core.models import CalendarException, Office
from simi.core.workdays import WorkingCalendar

MANAGE: Capability = "appointments:manage"
DEFAULT_WINDOW_DAYS = 30
# Longest date range one availability request may ask for.
MAX_RANGE_DAYS = 62
AVAILABILITY_LIMIT = 60
AVAILABILITY_WINDOW_SECONDS = 60
# Statuses that hold a place in a session.
HOLDS_PLACE = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.ATTENDED)
# Days the week calendar leaves out: the office never opens on them.
NOT_WORKING = frozenset({"weekend", "no_sessions"})
ISO_WEEK = re.compile(r"(\d{4})-W(\d{2})")


def in_force_on(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


# --- booking rules that pages, API and services share -----------------------


def window_days(office: Office) -> int:
    found = BookingSettings.objects.filter(office=office).values_list("window_days", flat=True)
    for days in found:
        return int(days)
    return int(getattr(settings, "SIMI_APPOINTMENT_WINDOW_DAYS", DEFAULT_WINDOW_DAYS))


def bookable_range(office: Office, today: date | None = None) -> tuple[date, date]:
    """First and last bookable day: tomorrow up to the window (Asia/Jakarta)."""
    today = today or timezone.localdate()
    return today + timedelta(days=1), today + timedelta(days=window_days(office))


def session_bounds(session: Session, day: date) -> tuple[datetime | None, datetime | None]:
    """When ``session`` starts and ends on ``day`` (Asia/Jakarta), if it runs then."""
    hours = session.hours.filter(weekday=day.weekday()).first()
    if hours is None:
        return None, None
    return (
        timezone.make_aware(datetime.combine(day, hours.starts_at)),
        timezone.make_aware(datetime.combine(day, hours.ends_at)),
    )


def office_day_ends_at(office_id: int, day: date) -> datetime | None:
    """When the office's last session of ``day`` ends (Asia/Jakarta)."""
    ends = (
        SessionHours.objects.filter(
            session__office_id=office_id, session__is_active=True, weekday=day.weekday()
        )
        .order_by("-ends_at")
        .values_list("ends_at", flat=True)
        .first()
    )
    return timezone.make_aware(datetime.combine(day, ends)) if ends is not None else None


def session_starts_at(session: Session, day: date) -> datetime | None:
    return session_bounds(session, day)[0]


@dataclass(frozen=True)
class SessionPlaces:
    code: str
    name: str
    starts_at: time
    ends_at: time
    places: int
    taken: int

    @property
    def free(self) -> int:
        return max(self.places - self.taken, 0)


@dataclass(frozen=True)
class DayAvailability:
    day: date
    is_open: bool
    closed_reason: str = ""  # weekend | holiday | office_closed | no_sessions | outside_window
    closed_label: str = ""
    sessions: list[SessionPlaces] = field(default_factory=list)

    @property
    def free(self) -> int:
        return sum(s.free for s in self.sessions)


def _closure(calendar: WorkingCalendar, office: Office, day: date) -> tuple[str, str] | None:
    """Why ``office`` is closed on ``day`` (reason code, label), or None if open."""
    if calendar.is_working_day(day):
        return None
    holiday = calendar.holiday_name(day)
    exception = (
        CalendarException.objects.filter(Q(office=office) | Q(office__isnull=True), date=day)
        .order_by(F("office_id").asc(nulls_last=True))  # the office's own row wins
        .first()
    )
    if exception is not None and not exception.is_working_day:
        national = exception.office_id is None
        return ("holiday" if national else "office_closed"), exception.reason
    if holiday:
        return "holiday", holiday
    return "weekend", str(_("Weekend"))


def bookable_service(service_code: str, office_code: str) -> tuple[ServiceType, Office]:
    try:
        service = service_get(code=service_code or "")
    except NotFound:
        raise ValidationFailed.for_field(
            "service", _("There is no such service."), code=catalog_codes.Code.UNKNOWN_SERVICE
        ) from None
    if service.is_addon:
        raise ValidationFailed.for_field(
            "service",
            _("This is a surcharge, not a service you book a visit for."),
            code=Code.NOT_BOOKABLE,
        )
    offered = services_offered(office=office_code or "-")  # raises on an unknown office
    if not offered.filter(pk=service.pk).exists():
        raise ValidationFailed.for_field(
            "office",
            _("This office does not offer this service."),
            code=catalog_codes.Code.SERVICE_NOT_OFFERED,
        )
    return service, Office.objects.get(code=office_code)


def _sessions_by_weekday(office: Office) -> dict[int, list[tuple[Session, SessionHours]]]:
    rows = SessionHours.objects.filter(session__office=office, session__is_active=True)
    by_weekday: dict[int, list[tuple[Session, SessionHours]]] = defaultdict(list)
    for hours in rows.select_related("session").order_by("session__display_order", "session__code"):
        by_weekday[hours.weekday].append((hours.session, hours))
    return by_weekday


def _places(quotas: list[Quota], session_id: int, day: date) -> int:
    for quota in quotas:  # newest start first
        if (
            quota.session_id == session_id
            and quota.valid_from <= day
            and (quota.valid_to is None or quota.valid_to >= day)
        ):
            return quota.places
    return 0


def office_days(
    *, office: Office, kind: str, date_from: date, date_to: date, today: date | None = None
) -> list[DayAvailability]:
    """Free places per day and session for one kind of service at one office."""
    today = today or timezone.localdate()
    first, last = bookable_range(office, today)
    calendar = WorkingCalendar(office)
    by_weekday = _sessions_by_weekday(office)
    quotas = list(
        Quota.objects.filter(session__office=office, kind=kind, valid_from__lte=date_to)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date_from))
        .order_by("-valid_from")
    )
    taken: dict[tuple[date, int], int] = {
        (row["day"], row["session"]): row["n"]
        for row in Booking.objects.filter(
            office=office, kind=kind, day__range=(date_from, date_to), status__in=HOLDS_PLACE
        )
        .values("day", "session")
        .annotate(n=Count("id"))
        .order_by()
    }
    days = []
    day = date_from
    while day <= date_to:
        closure = _closure(calendar, office, day)
        if closure is not None:
            days.append(DayAvailability(day, False, closure[0], closure[1]))
        elif not by_weekday.get(day.weekday()):
            days.append(DayAvailability(day, False, "no_sessions", str(_("No sessions"))))
        else:
            sessions = [
                SessionPlaces(
                    code=session.code,
                    name=localized(session, "name"),
                    starts_at=hours.starts_at,
                    ends_at=hours.ends_at,
                    places=_places(quotas, session.pk, day),
                    taken=taken.get((day, session.pk), 0),
                )
                for session, hours in by_weekday[day.weekday()]
            ]
            if first <= day <= last:
                days.append(DayAvailability(day, True, sessions=sessions))
            else:
                reason = str(_("Outside the booking window"))
                days.append(DayAvailability(day, False, "outside_window", reason, sessions))
        day += timedelta(days=1)
    return days


def availability(
    *,
    service_code: str,
    office_code: str,
    date_from: date | None = None,
    date_to: date | None = None,
    today: date | None = None,
) -> tuple[ServiceType, Office, list[DayAvailability]]:
    """The public availability view; ``ValidationFailed`` on bad input."""
    service, office = bookable_service(service_code, office_code)
    first, last = bookable_range(office, today)
    start = date_from or first
    end = date_to or last
    if end < start:
        raise ValidationFailed.for_field(
            "date_to", _("The end date is before the start date."), code=Code.RANGE_REVERSED
        )
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ValidationFailed.for_field(
            "date_to",
            _("Ask for at most %(days)s days at a time.") % {"days": MAX_RANGE_DAYS},
            code=Code.RANGE_TOO_LONG,
        )
    days = office_days(office=office, kind=service.kind, date_from=start, date_to=end, today=today)
    return service, office, days


# --- the booking calendar: the earliest free place and one week at a time ------


@dataclass(frozen=True)
class Slot:
    """One session of one day with a place left."""

    day: date
    session: SessionPlaces

    @property
    def value(self) -> str:
        return f"{self.day.isoformat()}|{self.session.code}"


@dataclass(frozen=True)
class BookingWeek:
    """Monday to Sunday of one week: its working days only (holidays and
    other closures among them say why), with links to the weeks around it
    inside the booking window."""

    start: date
    days: list[DayAvailability]
    previous: date | None
    next: date | None

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def iso(self) -> str:
        return iso_week(self.start)

    @property
    def previous_iso(self) -> str:
        return iso_week(self.previous) if self.previous else ""

    @property
    def next_iso(self) -> str:
        return iso_week(self.next) if self.next else ""


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str) -> date:
    """The Monday of an ISO 8601 week ``YYYY-Www``; ValidationFailed otherwise."""
    found = ISO_WEEK.fullmatch((text or "").strip().upper())
    try:
        if found is None:
            raise ValueError(text)
        return date.fromisocalendar(int(found[1]), int(found[2]), 1)
    except ValueError:
        raise ValidationFailed.for_field(
            "week",
            _("Write the week as YYYY-Www, e.g. 2026-W33."),
            code=Code.WEEK_INVALID,
        ) from None


def week_range(office: Office, today: date | None = None) -> tuple[date, date]:
    """The Mondays of the first and the last week that hold a bookable day."""
    first, last = bookable_range(office, today)
    return monday_of(first), monday_of(last)


def week_in_window(office: Office, start: date, today: date | None = None) -> date:
    """The Monday of ``start``'s week, or ValidationFailed when that week
    holds no bookable day (before tomorrow or past the booking window)."""
    monday = monday_of(start)
    earliest, latest = week_range(office, today)
    if not earliest <= monday <= latest:
        raise ValidationFailed.for_field(
            "week",
            _("Choose a week from this week up to %(days)s days ahead.")
            % {"days": window_days(office)},
            code=Code.OUTSIDE_WINDOW,
        )
    return monday


def booking_week(
    *, office: Office, kind: str, start: date | None = None, today: date | None = None
) -> BookingWeek:
    """The week of ``start`` (default: the first bookable week); ``start``
    must be inside the window (``week_in_window``)."""
    today = today or timezone.localdate()
    earliest, latest = week_range(office, today)
    monday = week_in_window(office, start, today) if start is not None else earliest
    first, _last = bookable_range(office, today)
    days = [
        day
        for day in office_days(
            office=office,
            kind=kind,
            date_from=monday,
            date_to=monday + timedelta(days=6),
            today=today,
        )
        if day.closed_reason not in NOT_WORKING and day.day >= first
    ]
    return BookingWeek(
        start=monday,
        days=days,
        previous=monday - timedelta(days=7) if monday > earliest else None,
        next=monday + timedelta(days=7) if monday < latest else None,
    )


def earliest_slot(
    *, office: Office, kind: str, skip: str = "", today: date | None = None
) -> Slot | None:
    """The first session of the window with a place left (``skip``: a slot
    value not to offer, the booking being rescheduled)."""
    first, last = bookable_range(office, today)
    for day in office_days(office=office, kind=kind, date_from=first, date_to=last, today=today):
        if not day.is_open:
            continue
        for session in day.sessions:
            slot = Slot(day.day, session)
            if session.free > 0 and slot.value != skip:
                return slot
    return None


def closures_ahead(*, office: Office, today: date | None = None) -> list[DayAvailability]:
    """Holidays and office closures on weekdays inside the booking window."""
    first, last = bookable_range(office, today)
    return [
        day
        for day in office_days(office=office, kind="", date_from=first, date_to=last, today=today)
        if not day.is_open and day.closed_reason in ("holiday", "office_closed")
    ]


def places_left(*, office: Office, kind: str, session: Session, day: date) -> int:
    quotas = list(
        Quota.objects.filter(session=session, kind=kind)
        .filter(in_force_on(day))
        .order_by("-valid_from")
    )
    taken = Booking.objects.filter(
        office=office, kind=kind, session=session, day=day, status__in=HOLDS_PLACE
    ).count()
    return _places(quotas, session.pk, day) - taken


def priority_places(office: Office, day: date) -> int:
    quota = (
        PriorityQuota.objects.filter(office=office).filter(in_force_on(day)).order_by("-valid_from")
    ).first()
    return quota.places if quota is not None else 0


# --- the applicant's own bookings -------------------------------------------


def bookings_own(*, actor: Actor) -> QuerySet[Booking]:
    """The actor's bookings, upcoming and most recent first (none for anonymous)."""
    if not actor.is_authenticated:
        return Booking.objects.none()
    return (
        Booking.objects.filter(applicant=actor)
        .select_related("office", "session", "application", "application__service_type")
        .order_by("-day", "-id")
    )


def booking_get_own(*, actor: Actor, public_id: uuid.UUID) -> Booking:
    found = bookings_own(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class BookingProof:
    """What the applicant shows and brings: the reference (also the QR
    code's content, so the counter's scanner types it into check-in), where
    and when, and the service's documents."""

    reference: str
    qr_payload: str
    office_name: str
    office_address: str
    service_name: str
    session_name: str
    starts_at: datetime | None
    ends_at: datetime | None
    documents: list[tuple[str, bool]]  # (name, mandatory)


def booking_proof(booking: Booking) -> BookingProof:
    starts, ends = session_bounds(booking.session, booking.day)
    reference = f"{booking.code[:4]}-{booking.code[4:]}"
    service = booking.application.service_type
    return BookingProof(
        reference=reference,
        qr_payload=reference,
        office_name=booking.office.name,
        office_address=booking.office.address,
        service_name=localized(service, "name"),
        session_name=localized(booking.session, "name"),
        starts_at=starts,
        ends_at=ends,
        documents=[
            (localized(doc, "name"), doc.is_mandatory)
            for doc in application_documents(booking.application)
        ],
    )


def has_visit(application: Application) -> bool:
    """A visit booked, checked in or done for the application."""
    return Booking.objects.filter(application=application, status__in=HOLDS_PLACE).exists()


def active_booking_for(application: Application) -> Booking | None:
    return (
        Booking.objects.filter(application=application, status=BookingStatus.BOOKED)
        .select_related("office", "session")
        .first()
    )


# --- the office's day, for its staff -----------------------------------------


def can_manage(actor: Actor) -> bool:
    return actor.is_authenticated and actor.is_office_staff and actor.can(MANAGE)


def require_manager(actor: Actor) -> User:
    """The counter staff member, or PermissionDenied (also for anonymous callers)."""
    if not actor.is_authenticated or not can_manage(actor):
        raise PermissionDenied(
            _("Only counter staff of the office manage appointments."), code=Code.NOT_COUNTER_STAFF
        )
    return actor


def offices_managed(*, actor: Actor) -> QuerySet[Office]:
    """Offices whose bookings and queue the actor manages."""
    staff = require_manager(actor)
    ids = visible_office_ids(staff)
    offices = Office.objects.filter(is_active=True).order_by("kind", "code")
    return offices if ids is None else offices.filter(id__in=ids)


def office_for_staff(*, actor: Actor, office_code: str | None = None) -> Office:
    """The office named by ``office_code`` (default: the actor's own) if the
    actor manages it; any other answers NotFound."""
    managed = offices_managed(actor=actor)
    if not office_code:
        own_id = actor.office_id if actor.is_authenticated else None
        own = managed.filter(pk=own_id).first() if own_id is not None else None
        if own is not None:
            return own
        raise NotFound()
    found = (
        managed.filter(code=office_code).first() if CODE_PATTERN.fullmatch(office_code) else None
    )
    if found is None:
        raise NotFound()
    return found


def bookings_of_day(*, actor: Actor, office: Office, day: date | None = None) -> QuerySet[Booking]:
    office = office_for_staff(actor=actor, office_code=office.code)
    return (
        Booking.objects.filter(office=office, day=day or timezone.localdate())
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("session", "application", "application__service_type")
        .order_by("session__display_order", "status", "id")
    )


def priority_first(queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return queryset.annotate(
        walk_in_first=Case(
            When(priority_reason="", then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by("walk_in_first", "issued_at", "id")


def tickets_of_day(
    *, actor: Actor, office: Office, status: str | None = None, day: date | None = None
) -> QuerySet[Ticket]:
    """The queue of one day: waiting tickets in calling order (priority first)."""
    office = office_for_staff(actor=actor, office_code=office.code)
    found = Ticket.objects.filter(office=office, day=day or timezone.localdate())
    if status in TicketStatus.values:
        found = found.filter(status=status)
    return priority_first(found.select_related("booking"))


def ticket_get_for_staff(*, actor: Actor, public_id: uuid.UUID) -> Ticket:
    ids = visible_office_ids(actor) if actor.is_authenticated and can_manage(actor) else set()
    found = Ticket.objects.filter(public_id=public_id).select_related("office", "booking")
    if ids is not None:
        found = found.filter(office_id__in=ids)
    ticket = found.first()
    if ticket is None:
        raise NotFound()
    return ticket


def booking_get_for_staff(*, actor: Actor, public_id: uuid.UUID) -> Booking:
    ids = visible_office_ids(actor) if actor.is_authenticated and can_manage(actor) else set()
    found = Booking.objects.filter(public_id=public_id).select_related("office", "session")
    if ids is not None:
        found = found.filter(office_id__in=ids)
    booking = found.first()
    if booking is None:
        raise NotFound()
    return booking
