"""The day-before reminder and the booking notice: once each."""

from __future__ import annotations

from datetime import date

from freezegun import freeze_time

from simi.appointments import services
from simi.appointments.models import Booking
from simi.appointments.tasks import send_appointment_reminders
from simi.notifications.models import Notification


def test_a_booking_is_notified_once(ani, application):
    booking = services.booking_create(
        actor=ani, application=application, day=date(2026, 8, 12), session_code="pagi"
    )
    sent = Notification.objects.filter(key=f"appointment_booked:{booking.public_id}")
    assert sent.count() == 1
    assert sent.get().params["booking_code"] == services.display_booking_code(booking.code)


def test_the_reminder_goes_out_the_day_before_and_only_once(ani, application):
    # given a booking for Wednesday
    booking = services.booking_create(
        actor=ani, application=application, day=date(2026, 8, 12), session_code="pagi"
    )
    key = f"appointment_reminder:{booking.public_id}"
    # when the job runs on Monday, nothing is due yet
    assert services.reminders_send() == 0
    # and on Tuesday, twice (a repeated run or a second worker)
    with freeze_time("2026-08-11 00:00:00"):
        assert send_appointment_reminders.call() == 1
        assert send_appointment_reminders.call() == 0
    # then one reminder is raised for Ani's e-mail, with the booking code
    reminder = Notification.objects.get(key=key)
    assert reminder.recipient == ani
    assert reminder.params["booking_code"] == services.display_booking_code(booking.code)
    assert Booking.objects.get().reminded_at is not None


def test_a_cancelled_booking_gets_no_reminder(ani, application):
    booking = services.booking_create(
        actor=ani, application=application, day=date(2026, 8, 12), session_code="pagi"
    )
    services.booking_cancel(actor=ani, booking=booking)
    with freeze_time("2026-08-11 00:00:00"):
        assert services.reminders_send() == 0
