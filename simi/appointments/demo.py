"""Synthetic demo bookings and queue numbers (``seed_demo``; idempotent).

Open demo applications get a visit booked on the next working days; on a
working day each office's queue gets two priority walk-ins, so the counter
pages are never empty for a newcomer.
"""

from __future__ import annotations

from django.utils import timezone

from simi.accounts.models import User
from simi.applications.models import Application
from simi.appointments import selectors, services
from simi.appointments.models import Ticket
from simi.core.demo import DemoOptions
from simi.core.errors import SimiError
from simi.core.models import Office
from simi.core.workdays import WorkingCalendar

_COUNTER_STAFF = {"ulp-liwa": "petugas.liwa", "kanim-kotabumi": "petugas.kotabumi"}


def _book_next_free(app: Application, position: int) -> bool:
    office = app.office
    first, last = selectors.bookable_range(office)
    days = selectors.office_days(
        office=office, kind=app.service_type.kind, date_from=first, date_to=last
    )
    preferred = ("pagi", "siang")[position % 2]
    for day in days:
        if not day.is_open:
            continue
        for session in sorted(day.sessions, key=lambda s: s.code != preferred):
            if session.free > 0:
                services.booking_create(
                    actor=app.applicant, application=app, day=day.day, session_code=session.code
                )
                return True
    return False


def appointments_demo_seed() -> int:
    """Book visits for open demo applications; returns how many were booked."""
    apps = (
        Application.objects.filter(applicant__is_demo=True)
        .exclude(status__in=services.CLOSED_APPLICATION_STATUSES)
        .exclude(bookings__isnull=False)
        .select_related("office", "service_type", "applicant")
        .order_by("id")
    )
    booked = 0
    for position, app in enumerate(apps):
        if app.service_type.is_addon:
            continue
        try:
            booked += _book_next_free(app, position)
        except SimiError:
            continue  # a full or closed office: the demo goes on without it
    today = timezone.localdate()
    for code, local_part in _COUNTER_STAFF.items():
        office = Office.objects.filter(code=code).first()
        staff = User.objects.filter(email__startswith=f"{local_part}@", is_demo=True).first()
        if office is None or staff is None or not WorkingCalendar(office).is_working_day(today):
            continue
        if Ticket.objects.filter(office=office, day=today).exists():
            continue
        for reason in ("elderly", "pregnant"):
            try:
                services.walk_in_register(
                    actor=staff, office=office, kind="passport", reason=reason
                )
            except SimiError:
                break
    return booked


__all__ = ["appointments_demo_seed"]


def seed_demo(options: DemoOptions) -> str:
    """``seed_demo`` step: visits for the open demo applications."""
    return f"visits booked: {appointments_demo_seed()}"
