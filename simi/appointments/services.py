"""Every write on appointments: book, reschedule, cancel (the applicant);
check in, register a priority walk-in, call the next number and finish a
visit (counter staff); mark missed bookings and send reminders (jobs).

Keyword-only, atomic, audited with ids and codes only. Who gets the last
place is decided by the database: the booking locks the ``SlotLock`` row of
its (office, day, session, kind) with SELECT ... FOR UPDATE and counts the
places taken while holding it, so concurrent bookings queue behind each other.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor, signed_in
from simi.accounts.models import User
from simi.applications.models import Application
from simi.applications.models import Status as ApplicationStatus
from simi.appointments import selectors
from simi.appointments.codes import Action, Code
from simi.appointments.models import (
    Booking,
    BookingStatus,
    PriorityReason,
    QueueCounter,
    Session,
    SlotLock,
    Ticket,
    TicketStatus,
)
from simi.audit.services import audit_record
from simi.catalog.models import ADDON_KINDS, ServiceKind
from simi.core import trackingcodes
from simi.core.codes import CommonCode
from simi.core.errors import Conflict, NotFound, ValidationFailed
from simi.core.models import Office
from simi.core.workdays import WorkingCalendar

# Applications that can no longer take a visit to the office.
CLOSED_APPLICATION_STATUSES = frozenset(
    {
        ApplicationStatus.DRAFT,
        ApplicationStatus.CANCELLED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.COLLECTED,
    }
)
BOOKING_CODE_LENGTH = 8
PRIORITY_PREFIX = "P"
# Queue letters per kind of service: passports and travel documents at the
# citizens' counter (A), foreigners' permits at theirs (B).
_PREFIX_A = {ServiceKind.PASSPORT, ServiceKind.PASSPORT_SURCHARGE, ServiceKind.TRAVEL_DOCUMENT}
COUNTER_PATTERN_MAX = 20
# Characters people confuse are read as the symbol they look like.
_CONFUSABLE = str.maketrans("OIL", "011")


def queue_prefix(kind: str) -> str:
    return "A" if kind in _PREFIX_A else "B"


# --- helpers -----------------------------------------------------------------


def normalize_booking_code(raw: str, *, field: str = "code") -> str:
    text = "".join((raw or "").split()).replace("-", "").upper()
    text = text.translate(_CONFUSABLE)
    if len(text) != BOOKING_CODE_LENGTH or any(ch not in trackingcodes.ALPHABET for ch in text):
        raise ValidationFailed.for_field(
            field,
            _("A booking code has 8 letters and digits, as on the confirmation."),
            code=Code.BOOKING_CODE_INVALID,
        )
    return text


def display_booking_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _new_booking_code() -> str:
    for _attempt in range(5):
        code = "".join(secrets.choice(trackingcodes.ALPHABET) for _ in range(BOOKING_CODE_LENGTH))
        if not Booking.objects.filter(code=code).exists():
            return code
    raise Conflict(code=Code.BOOKING_CODE_EXHAUSTED)  # 40 random bits: practically never


def _session(office: Office, code: str, day: date) -> Session:
    session = (
        Session.objects.filter(office=office, code=code or "", is_active=True)
        .filter(hours__weekday=day.weekday())
        .first()
    )
    if session is None:
        raise ValidationFailed.for_field(
            "session",
            _("The office has no such session on this day; choose one from the list."),
            code=Code.UNKNOWN_SESSION,
        )
    return session


def _check_day(office: Office, day: date) -> None:
    first, last = selectors.bookable_range(office)
    if not first <= day <= last:
        raise ValidationFailed.for_field(
            "date",
            _("Choose a day from tomorrow up to %(days)s days ahead.")
            % {"days": selectors.window_days(office)},
            code=Code.OUTSIDE_WINDOW,
        )
    if not WorkingCalendar(office).is_working_day(day):
        raise ValidationFailed.for_field(
            "date",
            _("The office is closed on this day (weekend or holiday)."),
            code=Code.OFFICE_CLOSED,
        )


def _take_place(*, office: Office, kind: str, session: Session, day: date) -> None:
    """Lock the slot row and make sure a place is left; Conflict when full.

    The row exists before anyone locks it (INSERT ... ON CONFLICT DO NOTHING),
    so concurrent first bookings never fail on the unique constraint.
    """
    SlotLock.objects.bulk_create(
        [SlotLock(office=office, day=day, session=session, kind=kind)], ignore_conflicts=True
    )
    SlotLock.objects.select_for_update(no_key=True).get(
        office=office, day=day, session=session, kind=kind
    )
    # Counted after the lock: this statement sees every booking committed before it.
    if selectors.places_left(office=office, kind=kind, session=session, day=day) <= 0:
        raise Conflict(
            _("This session is fully booked; choose another session or day."), code=Code.SLOT_FULL
        )


def _starts_at(booking: Booking) -> datetime:
    return selectors.session_starts_at(booking.session, booking.day) or timezone.make_aware(
        datetime.combine(booking.day, datetime.min.time())
    )


def _notify(booking: Booking, event: str, key: str) -> None:
    from simi.notifications.services import notify

    params: dict[str, str | int] = {
        "booking_code": display_booking_code(booking.code),
        "starts_at": _starts_at(booking).isoformat(),
        "office_code": booking.office.code,
    }
    tracking = booking.application.tracking_code_display
    if tracking:
        params["tracking_code"] = tracking
    notify(
        event=event,
        recipient=booking.applicant,
        key=key,
        params=params,
        link=reverse("appointments:detail", args=[booking.public_id]),
    )


def _audit(actor: Actor | None, action: Action, booking: Booking, **extra: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=booking,
        data={
            "booking": booking.code,
            "application": str(booking.application.public_id),
            "office": booking.office.code,
            "date": booking.day.isoformat(),
            "session": booking.session.code,
            "kind": booking.kind,
            **extra,
        },
    )


# --- the applicant -----------------------------------------------------------


@transaction.atomic
def booking_create(
    *, actor: Actor, application: Application, day: date, session_code: str
) -> Booking:
    """Book a place in one session for one of the actor's open applications."""
    applicant = signed_in(actor)
    if application.applicant_id != applicant.pk:
        raise NotFound()
    if application.status in CLOSED_APPLICATION_STATUSES:
        raise Conflict(
            _("Book a visit once the application is submitted and still open."),
            code=Code.APPLICATION_NOT_OPEN,
        )
    kind = application.service_type.kind
    if kind in ADDON_KINDS:
        raise Conflict(code=Code.NOT_BOOKABLE)
    office = application.office
    # A booking of a past day nobody came for must not block a new one
    # (the hourly job may not have run yet).
    _mark_missed(
        Booking.objects.filter(
            application=application, status=BookingStatus.BOOKED, day__lt=timezone.localdate()
        ),
        reason="day_passed",
    )
    if selectors.active_booking_for(application) is not None:
        raise Conflict(
            _("This application already has a booking; reschedule or cancel it instead."),
            code=Code.ALREADY_BOOKED,
        )
    _check_day(office, day)
    session = _session(office, session_code, day)
    _take_place(office=office, kind=kind, session=session, day=day)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                code=_new_booking_code(),
                application=application,
                applicant=applicant,
                office=office,
                kind=kind,
                session=session,
                day=day,
            )
    except IntegrityError:  # a concurrent booking for the same application won
        raise Conflict(
            _("This application already has a booking; reschedule or cancel it instead."),
            code=Code.ALREADY_BOOKED,
        ) from None
    _audit(applicant, Action.BOOKED, booking)
    _notify(booking, "appointment_booked", f"appointment_booked:{booking.public_id}")
    return booking


def _locked_own(actor: Actor, booking: Booking) -> Booking:
    applicant = signed_in(actor)
    locked = (
        Booking.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk=booking.pk, applicant=applicant)
        .select_related("office", "session", "application")
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


def can_reschedule(booking: Booking, today: date | None = None) -> bool:
    """Once, and no later than two days before: from the day before the
    booked date on, a booking can only be cancelled."""
    today = today or timezone.localdate()
    return (
        booking.status == BookingStatus.BOOKED
        and booking.reschedule_count == 0
        and today < booking.day - timedelta(days=1)
    )


def can_cancel(booking: Booking, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return booking.status == BookingStatus.BOOKED and booking.day >= today


@transaction.atomic
def booking_reschedule(*, actor: Actor, booking: Booking, day: date, session_code: str) -> Booking:
    """Move a booking to another day or session (once only)."""
    locked = _locked_own(actor, booking)
    if locked.status != BookingStatus.BOOKED:
        raise Conflict(_("Only an upcoming booking can be rescheduled."), code=Code.NOT_ACTIVE)
    if locked.reschedule_count >= 1:
        raise Conflict(_("A booking can be rescheduled only once."), code=Code.ALREADY_RESCHEDULED)
    if not can_reschedule(locked):
        raise Conflict(
            _("It is too late to reschedule: from the day before the visit you can only cancel."),
            code=Code.TOO_LATE,
        )
    office = locked.office
    _check_day(office, day)
    session = _session(office, session_code, day)
    if day == locked.day and session.pk == locked.session_id:
        raise ValidationFailed.for_field(
            "date", _("Choose a different day or session."), code=Code.SAME_SLOT
        )
    _take_place(office=office, kind=locked.kind, session=session, day=day)
    previous = {"from_date": locked.day.isoformat(), "from_session": locked.session.code}
    locked.day = day
    locked.session = session
    locked.reschedule_count += 1
    locked.rescheduled_at = timezone.now()
    locked.save(
        update_fields=["day", "session", "reschedule_count", "rescheduled_at", "updated_at"]
    )
    _audit(actor, Action.RESCHEDULED, locked, **previous)
    _notify(locked, "appointment_rescheduled", f"appointment_rescheduled:{locked.public_id}")
    return locked


@transaction.atomic
def booking_cancel(*, actor: Actor, booking: Booking) -> Booking:
    """Cancel an upcoming booking; its place is free again at once."""
    locked = _locked_own(actor, booking)
    if not can_cancel(locked):
        raise Conflict(_("Only an upcoming booking can be cancelled."), code=Code.NOT_ACTIVE)
    locked.status = BookingStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at", "updated_at"])
    _audit(actor, Action.CANCELLED, locked)
    _notify(locked, "appointment_cancelled", f"appointment_cancelled:{locked.public_id}")
    return locked


@transaction.atomic
def bookings_release_for_application(*, actor: Actor | None, application: Application) -> int:
    """The application was cancelled or refused: its upcoming visit is cancelled
    and the place freed. Called on ``applications.closed`` (hooks.py); no notice is sent
    (the applicant hears of the cancellation or refusal itself)."""
    released = 0
    bookings = Booking.objects.select_for_update(no_key=True).filter(
        application=application, status=BookingStatus.BOOKED
    )
    for booking in bookings:
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "cancelled_at", "updated_at"])
        _audit(actor, Action.RELEASED, booking, reason=application.status)
        released += 1
    return released


# --- the counter -------------------------------------------------------------


def _next_number(office: Office, day: date, prefix: str) -> int:
    QueueCounter.objects.bulk_create(
        [QueueCounter(office=office, day=day, prefix=prefix)], ignore_conflicts=True
    )
    counter = QueueCounter.objects.select_for_update(no_key=True).get(
        office=office, day=day, prefix=prefix
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _issue_ticket(*, actor: User, office: Office, kind: str, prefix: str, **fields: Any) -> Ticket:
    today = timezone.localdate()
    return Ticket.objects.create(
        office=office,
        day=today,
        prefix=prefix,
        number=_next_number(office, today, prefix),
        kind=kind,
        issued_at=timezone.now(),
        issued_by=actor,
        **fields,
    )


@transaction.atomic
def booking_check_in(*, actor: Actor, office: Office, code: str) -> Ticket:
    """The applicant arrives: today's booking at this office gets a queue number."""
    staff = selectors.require_manager(actor)
    office = selectors.office_for_staff(actor=staff, office_code=office.code)
    normalized = normalize_booking_code(code)
    booking = (
        Booking.objects.select_for_update(of=("self",), no_key=True)
        .filter(code=normalized, office=office)
        .select_related("session", "application", "office")
        .first()
    )
    if booking is None:
        raise NotFound(_("No booking at this office has this code."), code=Code.BOOKING_NOT_FOUND)
    if booking.status in (BookingStatus.CHECKED_IN, BookingStatus.ATTENDED):
        raise Conflict(_("This booking is already checked in."), code=Code.ALREADY_CHECKED_IN)
    if booking.status != BookingStatus.BOOKED:
        raise Conflict(_("This booking was cancelled or missed."), code=Code.NOT_ACTIVE)
    if booking.day != timezone.localdate():
        raise Conflict(
            _("This booking is for %(day)s, not today.") % {"day": booking.day.isoformat()},
            code=Code.NOT_TODAY,
        )
    ticket = _issue_ticket(
        actor=staff,
        office=office,
        kind=booking.kind,
        prefix=queue_prefix(booking.kind),
        booking=booking,
    )
    booking.status = BookingStatus.CHECKED_IN
    booking.checked_in_at = ticket.issued_at
    booking.save(update_fields=["status", "checked_in_at", "updated_at"])
    _audit(staff, Action.CHECKED_IN, booking, ticket=ticket.display)
    return ticket


@transaction.atomic
def walk_in_register(*, actor: Actor, office: Office, kind: str, reason: str) -> Ticket:
    """A priority visitor without a booking; draws on the day's priority quota."""
    staff = selectors.require_manager(actor)
    office = selectors.office_for_staff(actor=staff, office_code=office.code)
    if reason not in PriorityReason.values:
        raise ValidationFailed.for_field(
            "reason", _("Choose a reason from the list."), code=CommonCode.UNKNOWN_REASON
        )
    if kind not in ServiceKind.values or kind in ADDON_KINDS:
        raise ValidationFailed.for_field(
            "kind", _("Choose a kind of service from the list."), code=Code.UNKNOWN_KIND
        )
    today = timezone.localdate()
    if not WorkingCalendar(office).is_working_day(today):
        raise Conflict(_("The office is closed today."), code=Code.OFFICE_CLOSED)
    # The counter row of the priority line is the lock for the quota, too.
    number = _next_number(office, today, PRIORITY_PREFIX)
    used = Ticket.objects.filter(office=office, day=today, prefix=PRIORITY_PREFIX).count()
    if used >= selectors.priority_places(office, today):
        raise Conflict(
            _("Today's priority walk-in places are all taken."), code=Code.PRIORITY_QUOTA_FULL
        )
    ticket = Ticket.objects.create(
        office=office,
        day=today,
        prefix=PRIORITY_PREFIX,
        number=number,
        kind=kind,
        priority_reason=reason,
        issued_at=timezone.now(),
        issued_by=staff,
    )
    audit_record(
        actor=staff,
        action=Action.WALK_IN_REGISTERED,
        target=ticket,
        data={"office": office.code, "ticket": ticket.display, "kind": kind, "reason": reason},
    )
    return ticket


def _validate_counter(counter: str) -> str:
    text = (counter or "").strip()
    if not text or len(text) > COUNTER_PATTERN_MAX or not text.isprintable():
        raise ValidationFailed.for_field(
            "counter",
            _("Name the counter in 1 to 20 characters, e.g. Loket 2."),
            code=Code.COUNTER_INVALID,
        )
    return text


@transaction.atomic
def queue_call_next(*, actor: Actor, office: Office, counter: str) -> Ticket | None:
    """The next waiting number to ``counter`` (priority walk-ins first), or
    None when nobody is waiting. Two counters calling at once get two people."""
    staff = selectors.require_manager(actor)
    office = selectors.office_for_staff(actor=staff, office_code=office.code)
    counter = _validate_counter(counter)
    waiting = selectors.priority_first(
        Ticket.objects.filter(office=office, day=timezone.localdate(), status=TicketStatus.WAITING)
    )
    ticket = waiting.select_for_update(skip_locked=True, of=("self",), no_key=True).first()
    if ticket is None:
        return None
    ticket.status = TicketStatus.CALLED
    ticket.counter = counter
    ticket.called_at = timezone.now()
    ticket.called_by = staff
    ticket.save(update_fields=["status", "counter", "called_at", "called_by", "updated_at"])
    audit_record(
        actor=staff,
        action=Action.CALLED,
        target=ticket,
        data={"office": office.code, "ticket": ticket.display},
    )
    return ticket


@transaction.atomic
def ticket_finish(*, actor: Actor, ticket: Ticket, outcome: str) -> Ticket:
    """Mark a called number served, or a waiting/called one as a no-show."""
    selectors.require_manager(actor)
    found = selectors.ticket_get_for_staff(actor=actor, public_id=ticket.public_id)
    if outcome not in (TicketStatus.SERVED, TicketStatus.NO_SHOW):
        raise ValidationFailed.for_field(
            "outcome", _("Choose served or no-show."), code=Code.UNKNOWN_OUTCOME
        )
    locked = Ticket.objects.select_for_update(no_key=True).get(pk=found.pk)
    allowed = (
        {TicketStatus.CALLED}
        if outcome == TicketStatus.SERVED
        else {TicketStatus.CALLED, TicketStatus.WAITING}
    )
    if locked.status not in allowed:
        raise Conflict(_("This number is not being served now."), code=Code.TICKET_NOT_OPEN)
    locked.status = outcome
    locked.finished_at = timezone.now()
    locked.save(update_fields=["status", "finished_at", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.SERVED if outcome == TicketStatus.SERVED else Action.MARKED_NO_SHOW,
        target=locked,
        data={"office": found.office.code, "ticket": locked.display},
    )
    if locked.booking_id is not None:
        # The booked visit ends with its number: served is a visit done, a
        # number that never came to the counter is a missed visit.
        booking = Booking.objects.filter(
            pk=locked.booking_id, status=BookingStatus.CHECKED_IN
        ).select_related("office", "session", "application")
        if outcome == TicketStatus.SERVED:
            _attend(actor, booking, via="counter")
        else:
            _mark_missed(booking, reason="no_show", actor=actor)
    return locked


def _attend(actor: Actor | None, bookings: QuerySet[Booking], *, via: str) -> int:
    """The visits took place: each booking becomes attended, audited."""
    done = 0
    now = timezone.now()
    for booking in bookings.select_for_update(of=("self",), no_key=True):
        booking.status = BookingStatus.ATTENDED
        booking.attended_at = now
        booking.save(update_fields=["status", "attended_at", "updated_at"])
        _audit(actor, Action.ATTENDED, booking, via=via)
        done += 1
    return done


def _mark_missed(bookings: QuerySet[Booking], *, reason: str, actor: Actor | None = None) -> int:
    """Each booking still open is claimed with a conditional update (a
    second run, or a concurrent one, finds nothing) and its miss audited."""
    missed = 0
    for booking in bookings.select_related("office", "session", "application"):
        claimed = Booking.objects.filter(pk=booking.pk, status=booking.status).update(
            status=BookingStatus.MISSED, updated_at=timezone.now()
        )
        if claimed:
            booking.status = BookingStatus.MISSED
            _audit(actor, Action.MARKED_MISSED, booking, reason=reason)
            missed += 1
    return missed


@transaction.atomic
def bookings_attend_for_application(*, actor: Actor | None, application: Application) -> int:
    """The officer recorded the interview: the applicant came, so today's
    booking (or one checked in at the counter) is a visit done, not one to
    be marked missed tonight. Called on ``applications.interviewed``."""
    today = timezone.localdate()
    open_visits = Booking.objects.filter(
        application=application, status__in=(BookingStatus.BOOKED, BookingStatus.CHECKED_IN)
    ).filter(Q(day=today) | Q(status=BookingStatus.CHECKED_IN, day__lte=today))
    return _attend(actor, open_visits.select_related("office", "session"), via="interview")


# --- jobs ----------------------------------------------------------------------


@transaction.atomic
def bookings_mark_missed(*, today: date | None = None, now: datetime | None = None) -> int:
    """Bookings nobody came for become missed, which frees the application
    to book again: those of past days, and today's once the office's last
    session of the day has ended (until then a late arrival can still check
    in). A second run finds nothing."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    missed = _mark_missed(
        Booking.objects.filter(status=BookingStatus.BOOKED, day__lt=today), reason="day_passed"
    )
    todays = Booking.objects.filter(status=BookingStatus.BOOKED, day=today)
    for office_id in todays.values_list("office_id", flat=True).distinct().order_by():
        closes = selectors.office_day_ends_at(office_id, today)
        if closes is not None and closes <= now:
            missed += _mark_missed(todays.filter(office_id=office_id), reason="day_ended")
    return missed


def reminders_send(*, today: date | None = None) -> int:
    """Remind every applicant booked for tomorrow, once per booking: each
    booking is claimed with a conditional update before its reminder is raised."""
    today = today or timezone.localdate()
    due = Booking.objects.filter(
        status=BookingStatus.BOOKED, day=today + timedelta(days=1), reminded_at__isnull=True
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            booking = Booking.objects.select_related(
                "office", "session", "application", "applicant"
            ).get(pk=pk)
            _notify(booking, "appointment_reminder", f"appointment_reminder:{booking.public_id}")
            sent += 1
    return sent


# --- master data edited in the admin ---------------------------------------------
