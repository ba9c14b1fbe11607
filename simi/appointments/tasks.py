"""Background jobs of appointments: thin and idempotent."""

from __future__ import annotations

from django_tasks import task


@task()
def send_appointment_reminders() -> int:
    """Periodic: remind everyone booked for tomorrow, once per booking."""
    from simi.appointments.services import reminders_send

    return reminders_send()


@task()
def mark_missed_appointments() -> int:
    """Periodic: bookings of past days nobody checked in for become missed."""
    from simi.appointments.services import bookings_mark_missed

    return bookings_mark_missed()
