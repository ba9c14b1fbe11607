"""API schemas of appointments: availability, bookings and the counter queue."""

import datetime as dt
import uuid
from typing import Annotated

from ninja import Field, Schema
from pydantic import WithJsonSchema

from simi.appointments.models import PriorityReason
from simi.catalog.models import ServiceKind

# A session's clock time is the office's local time without an offset
# ("08:00:00"); JSON Schema's "time" format is RFC 3339's full-time, which
# requires one, so the document states the real shape.
OfficeClockTime = Annotated[
    dt.time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
            "description": "The office's local time, HH:MM:SS, without an offset.",
            "examples": ["08:00:00"],
        }
    ),
]


class SessionPlacesOut(Schema):
    """One session of one day and its free places for the asked service kind."""

    code: str = Field(..., description="Session code, e.g. pagi; send it when booking.")
    name: str
    starts_at: OfficeClockTime
    ends_at: OfficeClockTime
    places: int = Field(..., description="Places per day in this session (the quota).")
    free: int = Field(..., description="Places still free.")


class DayOut(Schema):
    """One day: open with its sessions, or closed and why."""

    date: dt.date
    is_open: bool = Field(..., description="True when the day can be booked.")
    closed_reason: str = Field(
        ...,
        description="Empty when open; else weekend, holiday, office_closed, no_sessions "
        "or outside_window.",
    )
    closed_label: str = Field(..., description="E.g. the holiday's name; empty when open.")
    sessions: list[SessionPlacesOut]


class AvailabilityOut(Schema):
    """Free places per day and session of one office for one service."""

    service: str
    office: str
    kind: str = Field(..., description="The service kind the quota is counted for.")
    first_bookable: dt.date = Field(..., description="Tomorrow (Asia/Jakarta).")
    last_bookable: dt.date = Field(..., description="The last day of the booking window.")
    days: list[DayOut]


class SlotOut(Schema):
    """One session of one day with a place left: send ``date`` and
    ``session`` to book it."""

    date: dt.date
    session: str = Field(..., description="Session code, e.g. pagi.")
    name: str = Field(..., description="The session's name in the request's language.")
    starts_at: dt.datetime = Field(..., description="Start, with the office's offset (WIB).")
    ends_at: dt.datetime
    free: int = Field(..., description="Places still free.")


class BookingWeekOut(Schema):
    """The earliest free session of the booking window and one week
    (Monday to Sunday) of it: its working days only, closed ones saying why."""

    service: str
    office: str
    kind: str = Field(..., description="The service kind the quota is counted for.")
    earliest: SlotOut | None = Field(..., description="Null when every session is full.")
    week: str = Field(..., description="ISO 8601 week, e.g. 2026-W33.")
    start: dt.date = Field(..., description="The week's Monday.")
    end: dt.date = Field(..., description="The week's Sunday.")
    previous_week: str | None = Field(..., description="Null for the first bookable week.")
    next_week: str | None = Field(..., description="Null past the booking window's last week.")
    first_bookable: dt.date
    last_bookable: dt.date
    days: list[DayOut]


class ProofDocumentOut(Schema):
    """A document to bring to the visit (the original)."""

    name: str
    mandatory: bool


class BookingProofOut(Schema):
    """The booking proof: what the applicant shows and brings."""

    id: uuid.UUID
    reference: str = Field(..., description="The booking code, e.g. 7K3M-Q9TX.")
    qr_payload: str = Field(
        ...,
        description="The QR code's text (the booking code, which the counter's check-in reads).",
    )
    status: str
    office: str
    office_name: str
    office_address: str
    service_name: str
    session: str
    session_name: str
    date: dt.date
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    documents: list[ProofDocumentOut] = Field(..., description="What to bring, in order.")
    calendar_file: str = Field(..., description="Path of the booking's .ics file.")


class BookingCreateIn(Schema):
    """Book a session of one day for the application."""

    date: dt.date = Field(..., description="The day of the visit (YYYY-MM-DD).")
    session: str = Field(..., min_length=1, max_length=30, description="Session code, e.g. pagi.")


class BookingRescheduleIn(BookingCreateIn):
    """Move the booking to another day or session; allowed once, until two
    days before the booked date."""


class BookingOut(Schema):
    """A booking as its applicant sees it."""

    id: uuid.UUID
    code: str = Field(..., description="Booking code to show at the counter, e.g. 7K3M-Q9TX.")
    application: uuid.UUID
    tracking_code: str | None
    office: str
    kind: str
    date: dt.date
    session: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    status: str = Field(
        ...,
        description="booked, checked_in, attended (the visit took place: served at the "
        "counter or interviewed), cancelled or missed (nobody came).",
    )
    can_reschedule: bool
    can_cancel: bool
    rescheduled_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    attended_at: dt.datetime | None
    created_at: dt.datetime


class TicketOut(Schema):
    """A queue number of today."""

    id: uuid.UUID
    number: str = Field(..., description="Queue number, e.g. A-001 or P-003.")
    office: str
    date: dt.date
    kind: str
    status: str = Field(..., description="waiting, called, served or no_show.")
    priority_reason: str = Field(..., description="Empty for a booked visit.")
    booking_code: str | None
    counter: str
    issued_at: dt.datetime
    called_at: dt.datetime | None
    finished_at: dt.datetime | None


class CheckInIn(Schema):
    """Check in today's booking by its code: gives a queue number."""

    office: str | None = Field(
        None, max_length=40, description="Office code; empty: your own office."
    )
    code: str = Field(..., min_length=1, max_length=20, description="The booking code.")


class WalkInIn(Schema):
    """A priority visitor without a booking (draws on the priority quota)."""

    office: str | None = Field(
        None, max_length=40, description="Office code; empty: your own office."
    )
    kind: ServiceKind = Field(..., description="Kind of service the visitor comes for.")
    reason: PriorityReason = Field(..., description="Why the visitor is served first.")


class CallNextIn(Schema):
    """Call the next waiting number to a counter."""

    office: str | None = Field(
        None, max_length=40, description="Office code; empty: your own office."
    )
    counter: str = Field(..., min_length=1, max_length=20, description="E.g. Loket 2.")


class CallNextOut(Schema):
    """The called number, or null when nobody is waiting."""

    ticket: TicketOut | None
    waiting: int = Field(..., description="Numbers still waiting after this call.")


class TicketFinishIn(Schema):
    outcome: str = Field(..., description="served or no_show.", pattern="^(served|no_show)$")


class OfficeBookingOut(Schema):
    """A booking of the day as the office sees it (no personal data)."""

    id: uuid.UUID
    code: str
    tracking_code: str | None
    service: str
    kind: str
    session: str
    status: str
    ticket: str | None
