"""A booking as an iCalendar file (RFC 5545) the applicant adds to a phone's
calendar.

One VEVENT whose UID is the booking's public id, so a second download after
a reschedule updates the same event (SEQUENCE is the reschedule count) and a
cancelled booking's file cancels it. Times are written in UTC (``...Z``):
every calendar shows them in the reader's zone, Asia/Jakarta (WIB) for people
here, with no VTIMEZONE to get wrong. Lines end in CRLF and are folded at 75
octets, never inside a UTF-8 character.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from simi.appointments.models import Booking, BookingStatus
from simi.appointments.selectors import booking_proof

PRODID = "-//SIMI Lampung Barat//Appointments//ID"
UID_DOMAIN = "janji-temu.simi.lampungbarat.go.id"
MAX_OCTETS = 75
CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class Event:
    starts: datetime
    ends: datetime
    summary: str
    location: str
    description: str


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets (3.1); each
    continuation starts with one space, which counts towards its 75."""
    pieces: list[str] = []
    current = ""
    limit = MAX_OCTETS
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            pieces.append(current)
            current = ""
            limit = MAX_OCTETS - 1
        current += char
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def booking_uid(booking: Booking) -> str:
    return f"{booking.public_id}@{UID_DOMAIN}"


def booking_ics(booking: Booking, event: Event) -> str:
    cancelled = booking.status == BookingStatus.CANCELLED
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{booking_uid(booking)}",
        f"DTSTAMP:{utc_stamp(booking.updated_at)}",
        f"SEQUENCE:{booking.reschedule_count + (1 if cancelled else 0)}",
        f"DTSTART:{utc_stamp(event.starts)}",
        f"DTEND:{utc_stamp(event.ends)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"LOCATION:{escape_text(event.location)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)


def calendar_text(booking: Booking) -> str:
    """The booking's .ics in the active language."""
    proof = booking_proof(booking)
    starts = proof.starts_at or timezone.make_aware(datetime.combine(booking.day, time(8)))
    ends = proof.ends_at or starts
    bring = "\n".join(f"- {name}" for name, _mandatory in proof.documents)
    description = "\n".join(
        part
        for part in (
            _("Booking code: %(code)s") % {"code": proof.reference},
            _("Service: %(service)s") % {"service": proof.service_name},
            _("Session: %(session)s") % {"session": proof.session_name},
            _("Show the booking code at the counter to get your queue number."),
            _("Bring the originals of:") + "\n" + bring if bring else "",
        )
        if part
    )
    location = ", ".join(part for part in (proof.office_name, proof.office_address) if part)
    summary = _("Immigration office visit: %(service)s") % {"service": proof.service_name}
    event = Event(
        starts=starts, ends=ends, summary=summary, location=location, description=description
    )
    return booking_ics(booking, event)
