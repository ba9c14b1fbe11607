"""Appointments API: public availability; the applicant's bookings (book,
reschedule once, cancel; Idempotency-Key honoured); the counter's day for
staff with ``appointments:manage`` (check-in, priority walk-ins, call next)."""

import uuid
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.applications.selectors import application_get_own
from simi.appointments import calendarfile, selectors, services
from simi.appointments.codes import Code
from simi.appointments.models import Booking, Ticket, TicketStatus
from simi.appointments.schemas import (
    AvailabilityOut,
    BookingCreateIn,
    BookingOut,
    BookingProofOut,
    BookingRescheduleIn,
    BookingWeekOut,
    CallNextIn,
    CallNextOut,
    CheckInIn,
    DayOut,
    OfficeBookingOut,
    ProofDocumentOut,
    SessionPlacesOut,
    SlotOut,
    TicketFinishIn,
    TicketOut,
    WalkInIn,
)
from simi.core.errors import RateLimited, ValidationFailed
from simi.core.idempotency import idempotent
from simi.core.models import Office
from simi.core.paging import Paged, paged
from simi.core.ratelimit import client_ip, hit
from simi.core.routing import PUBLIC, ScopedRouter

router = ScopedRouter(tags=["appointments"])

Answer = tuple[int, dict[str, Any]]


def booking_out(booking: Booking) -> BookingOut:
    starts, ends = selectors.session_bounds(booking.session, booking.day)
    return BookingOut(
        id=booking.public_id,
        code=services.display_booking_code(booking.code),
        application=booking.application.public_id,
        tracking_code=booking.application.tracking_code_display or None,
        office=booking.office.code,
        kind=booking.kind,
        date=booking.day,
        session=booking.session.code,
        starts_at=starts,
        ends_at=ends,
        status=booking.status,
        can_reschedule=services.can_reschedule(booking),
        can_cancel=services.can_cancel(booking),
        rescheduled_at=booking.rescheduled_at,
        cancelled_at=booking.cancelled_at,
        checked_in_at=booking.checked_in_at,
        attended_at=booking.attended_at,
        created_at=booking.created_at,
    )


def ticket_out(ticket: Ticket) -> TicketOut:
    booking = ticket.booking
    return TicketOut(
        id=ticket.public_id,
        number=ticket.display,
        office=ticket.office.code,
        date=ticket.day,
        kind=ticket.kind,
        status=ticket.status,
        priority_reason=ticket.priority_reason,
        booking_code=services.display_booking_code(booking.code) if booking else None,
        counter=ticket.counter,
        issued_at=ticket.issued_at,
        called_at=ticket.called_at,
        finished_at=ticket.finished_at,
    )


def _office_booking_out(booking: Booking) -> OfficeBookingOut:
    ticket = getattr(booking, "ticket", None)
    return OfficeBookingOut(
        id=booking.public_id,
        code=services.display_booking_code(booking.code),
        tracking_code=booking.application.tracking_code_display or None,
        service=booking.application.service_type.code,
        kind=booking.kind,
        session=booking.session.code,
        status=booking.status,
        ticket=ticket.display if ticket is not None else None,
    )


def day_out(day: selectors.DayAvailability) -> DayOut:
    return DayOut(
        date=day.day,
        is_open=day.is_open,
        closed_reason=day.closed_reason,
        closed_label=day.closed_label,
        sessions=[
            SessionPlacesOut(
                code=s.code,
                name=s.name,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                places=s.places,
                free=s.free,
            )
            for s in day.sessions
        ],
    )


def slot_out(office: Office, slot: selectors.Slot) -> SlotOut:
    combine = datetime.combine
    return SlotOut(
        date=slot.day,
        session=slot.session.code,
        name=slot.session.name,
        starts_at=timezone.make_aware(combine(slot.day, slot.session.starts_at)),
        ends_at=timezone.make_aware(combine(slot.day, slot.session.ends_at)),
        free=slot.session.free,
    )


def proof_out(booking: Booking) -> BookingProofOut:
    proof = selectors.booking_proof(booking)
    return BookingProofOut(
        id=booking.public_id,
        reference=proof.reference,
        qr_payload=proof.qr_payload,
        status=booking.status,
        office=booking.office.code,
        office_name=proof.office_name,
        office_address=proof.office_address,
        service_name=proof.service_name,
        session=booking.session.code,
        session_name=proof.session_name,
        date=booking.day,
        starts_at=proof.starts_at,
        ends_at=proof.ends_at,
        documents=[ProofDocumentOut(name=n, mandatory=m) for n, m in proof.documents],
        calendar_file=reverse("api:appointment_calendar_file", args=[booking.public_id]),
    )


def _json(schema: Any) -> dict[str, Any]:
    return dict(schema.model_dump(mode="json"))


# --- public --------------------------------------------------------------------


def _count_availability_lookup(request: HttpRequest) -> None:
    """The public look-ups of free places share one limit per address (429)."""
    if not hit(
        "appointments-availability",
        client_ip(request),
        limit=selectors.AVAILABILITY_LIMIT,
        window_seconds=selectors.AVAILABILITY_WINDOW_SECONDS,
    ):
        raise RateLimited()


@router.get(
    "/appointments/availability",
    scope=PUBLIC,
    response=AvailabilityOut,
    summary="Free places per day and session (public)",
)
def availability(
    request: HttpRequest,
    service: str,
    office: str,
    date_from: date | None = None,
    date_to: date | None = None,
) -> AvailabilityOut:
    """Free places of ``office`` for ``service`` from ``date_from`` (default:
    tomorrow) to ``date_to`` (default: the end of the booking window), at most
    62 days at a time. Closed days say why (weekend, holiday with its name,
    office_closed, no_sessions, outside_window). At most 60 look-ups a minute
    per address (429)."""
    _count_availability_lookup(request)
    found, office_row, days = selectors.availability(
        service_code=service, office_code=office, date_from=date_from, date_to=date_to
    )
    first, last = selectors.bookable_range(office_row)
    return AvailabilityOut(
        service=found.code,
        office=office_row.code,
        kind=found.kind,
        first_bookable=first,
        last_bookable=last,
        days=[day_out(day) for day in days],
    )


@router.get(
    "/appointments/slots",
    scope=PUBLIC,
    response=BookingWeekOut,
    summary="The earliest free session and one week of sessions (public)",
)
def slots_week(
    request: HttpRequest,
    service: str,
    office: str,
    week: str | None = None,
    start: date | None = None,
) -> BookingWeekOut:
    """What the booking page shows: the earliest session of the booking
    window with a place left, then one week, Monday to Sunday, of working
    days (weekends are left out; holidays and office closures say why).
    ``week`` is an ISO 8601 week (``2026-W33``), or ``start`` any day of
    it; default the earliest free session's week (the first bookable week
    when every session is full). A week before this one or past the
    booking window answers 422 ``outside_window``; a malformed week 422
    ``week_invalid``. ``previous_week``/``next_week`` are null at the
    window's ends. At most 60 look-ups a minute per address (429)."""
    _count_availability_lookup(request)
    found, office_row = selectors.bookable_service(service, office)
    if week and start:
        raise ValidationFailed.for_field(
            "week", gettext("Send week or start, not both."), code=Code.WEEK_INVALID
        )
    earliest = selectors.earliest_slot(office=office_row, kind=found.kind)
    monday = selectors.parse_week(week) if week else start
    if monday is None and earliest is not None:
        monday = earliest.day
    shown = selectors.booking_week(office=office_row, kind=found.kind, start=monday)
    first, last = selectors.bookable_range(office_row)
    return BookingWeekOut(
        service=found.code,
        office=office_row.code,
        kind=found.kind,
        earliest=slot_out(office_row, earliest) if earliest is not None else None,
        week=shown.iso,
        start=shown.start,
        end=shown.end,
        previous_week=shown.previous_iso or None,
        next_week=shown.next_iso or None,
        first_bookable=first,
        last_bookable=last,
        days=[day_out(day) for day in shown.days],
    )


# --- the applicant ---------------------------------------------------------------


@router.get(
    "/appointments", scope="profile", response=list[BookingOut], summary="Your appointments"
)
@paginate(LimitOffsetPagination)
def booking_list(request: HttpRequest) -> Paged[BookingOut]:
    """Your own bookings, latest date first."""
    return paged(selectors.bookings_own(actor=request.user), booking_out)


@router.get(
    "/appointments/{booking_id}",
    scope="profile",
    response=BookingOut,
    summary="One of your appointments",
)
def booking_get(request: HttpRequest, booking_id: uuid.UUID) -> BookingOut:
    """Someone else's booking answers 404, like a missing one."""
    return booking_out(selectors.booking_get_own(actor=request.user, public_id=booking_id))


@router.get(
    "/appointments/{booking_id}/proof",
    scope="profile",
    response=BookingProofOut,
    summary="The booking proof of one of your appointments",
)
def booking_proof(request: HttpRequest, booking_id: uuid.UUID) -> BookingProofOut:
    """The reference and the QR code's text (the booking code, which the
    counter's check-in reads), where and when, and the documents to bring,
    in the request's language. Someone else's booking answers 404."""
    return proof_out(selectors.booking_get_own(actor=request.user, public_id=booking_id))


_ICS = {
    "responses": {
        200: {
            "description": "An iCalendar file (RFC 5545) with one VEVENT",
            "content": {"text/calendar": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    "/appointments/{booking_id}/calendar.ics",
    scope="profile",
    response={200: None},
    summary="Your appointment as a calendar file (.ics)",
    openapi_extra=_ICS,
    url_name="appointment_calendar_file",
)
def booking_calendar_file(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """One VEVENT whose UID stays the same for the booking (a reschedule
    updates the event, SEQUENCE counts it; a cancelled booking's file
    cancels it); times in UTC. Someone else's booking answers 404."""
    booking = selectors.booking_get_own(actor=request.user, public_id=booking_id)
    response = HttpResponse(
        calendarfile.calendar_text(booking), content_type=calendarfile.CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="janji-temu-{booking.code}.ics"'
    return response


@router.post(
    "/applications/{application_id}/appointment",
    scope="profile",
    response={201: BookingOut},
    summary="Book a visit for an application",
)
def booking_create(
    request: HttpRequest, application_id: uuid.UUID, payload: BookingCreateIn
) -> Status[Any]:
    """Book a session of one day (from tomorrow up to the booking window) for
    your submitted, still open application; one upcoming booking per
    application. A full session answers 409 ``slot_full``. Send an
    ``Idempotency-Key`` so a retry returns the first answer."""

    def handler() -> Answer:
        application = application_get_own(actor=request.user, public_id=application_id)
        booking = services.booking_create(
            actor=request.user,
            application=application,
            day=payload.date,
            session_code=payload.session,
        )
        return 201, _json(booking_out(booking))

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.post(
    "/appointments/{booking_id}/reschedule",
    scope="profile",
    response={200: BookingOut},
    summary="Reschedule your appointment (once)",
)
def booking_reschedule(
    request: HttpRequest, booking_id: uuid.UUID, payload: BookingRescheduleIn
) -> Status[Any]:
    """Once per booking, and no later than two days before the booked date
    (Asia/Jakarta): from the day before on, answers 409 ``too_late``.
    ``Idempotency-Key`` honoured."""

    def handler() -> Answer:
        booking = selectors.booking_get_own(actor=request.user, public_id=booking_id)
        moved = services.booking_reschedule(
            actor=request.user, booking=booking, day=payload.date, session_code=payload.session
        )
        return 200, _json(booking_out(moved))

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.post(
    "/appointments/{booking_id}/cancel",
    scope="profile",
    response={200: BookingOut},
    summary="Cancel your appointment",
)
def booking_cancel(request: HttpRequest, booking_id: uuid.UUID) -> Status[Any]:
    """The place is free for others at once. ``Idempotency-Key`` honoured."""

    def handler() -> Answer:
        booking = selectors.booking_get_own(actor=request.user, public_id=booking_id)
        return 200, _json(booking_out(services.booking_cancel(actor=request.user, booking=booking)))

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


# --- the counter (staff with appointments:manage) ------------------------------


def _staff(request: HttpRequest) -> None:
    selectors.require_manager(request.user)


@router.get(
    "/appointments/desk/bookings",
    scope=selectors.MANAGE,
    response=list[OfficeBookingOut],
    summary="Today's bookings at an office (staff)",
)
@paginate(LimitOffsetPagination)
def desk_bookings(request: HttpRequest, office: str | None = None) -> Paged[OfficeBookingOut]:
    """Today's bookings of ``office`` (default: yours), by session. Offices
    outside yours and its service points answer 404."""
    _staff(request)
    found = selectors.office_for_staff(actor=request.user, office_code=office)
    queryset = selectors.bookings_of_day(actor=request.user, office=found).select_related("ticket")
    return paged(queryset, _office_booking_out)


@router.get(
    "/appointments/desk/queue",
    scope=selectors.MANAGE,
    response=list[TicketOut],
    summary="Today's queue (staff)",
)
@paginate(LimitOffsetPagination)
def desk_queue(
    request: HttpRequest, office: str | None = None, status: str | None = None
) -> Paged[TicketOut]:
    """Today's numbers in calling order (priority walk-ins first); ``status``
    filters: waiting, called, served, no_show."""
    _staff(request)
    found = selectors.office_for_staff(actor=request.user, office_code=office)
    chosen = status if status in TicketStatus.values else None
    queryset = selectors.tickets_of_day(actor=request.user, office=found, status=chosen)
    return paged(queryset.select_related("office"), ticket_out)


@router.post(
    "/appointments/desk/check-in",
    scope=selectors.MANAGE,
    response={201: TicketOut},
    summary="Check in a booking: gives a queue number (staff)",
)
def desk_check_in(request: HttpRequest, payload: CheckInIn) -> Status[Any]:
    """Today's booking with this code at this office gets the next number of
    its line (A for passports, B for foreigners' permits). A booking of
    another day answers 409 ``not_today``. ``Idempotency-Key`` honoured."""
    _staff(request)

    def handler() -> Answer:
        office = selectors.office_for_staff(actor=request.user, office_code=payload.office)
        ticket = services.booking_check_in(actor=request.user, office=office, code=payload.code)
        return 201, _json(ticket_out(ticket))

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.post(
    "/appointments/desk/walk-ins",
    scope=selectors.MANAGE,
    response={201: TicketOut},
    summary="Register a priority walk-in (staff)",
)
def desk_walk_in(request: HttpRequest, payload: WalkInIn) -> Status[Any]:
    """Elderly (60+), children under 5, pregnant women and people with
    disabilities are served without a booking, first in line (P numbers),
    within the office's daily priority quota (409 ``priority_quota_full``).
    ``Idempotency-Key`` honoured."""
    _staff(request)

    def handler() -> Answer:
        office = selectors.office_for_staff(actor=request.user, office_code=payload.office)
        ticket = services.walk_in_register(
            actor=request.user, office=office, kind=payload.kind, reason=payload.reason
        )
        return 201, _json(ticket_out(ticket))

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.post(
    "/appointments/desk/call-next",
    scope=selectors.MANAGE,
    response={200: CallNextOut},
    summary="Call the next number to a counter (staff)",
)
def desk_call_next(request: HttpRequest, payload: CallNextIn) -> Status[Any]:
    """The next waiting number, priority walk-ins first; ``ticket`` is null
    when nobody waits. ``Idempotency-Key`` honoured (a retry does not call a
    second person)."""
    _staff(request)

    def handler() -> Answer:
        office = selectors.office_for_staff(actor=request.user, office_code=payload.office)
        ticket = services.queue_call_next(
            actor=request.user, office=office, counter=payload.counter
        )
        waiting = selectors.tickets_of_day(
            actor=request.user, office=office, status=TicketStatus.WAITING
        ).count()
        out = CallNextOut(ticket=ticket_out(ticket) if ticket else None, waiting=waiting)
        return 200, _json(out)

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.post(
    "/appointments/desk/tickets/{ticket_id}/finish",
    scope=selectors.MANAGE,
    response={200: TicketOut},
    summary="Mark a number served or a no-show (staff)",
)
def desk_ticket_finish(
    request: HttpRequest, ticket_id: uuid.UUID, payload: TicketFinishIn
) -> Status[Any]:
    """``served`` for a called number; ``no_show`` for a called or waiting one."""
    _staff(request)

    def handler() -> Answer:
        ticket = selectors.ticket_get_for_staff(actor=request.user, public_id=ticket_id)
        done = services.ticket_finish(actor=request.user, ticket=ticket, outcome=payload.outcome)
        return 200, _json(ticket_out(done))

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)
