"""What a booking says after its day: attended once the counter served its
number or the officer recorded the interview; missed when nobody came."""

from __future__ import annotations

from datetime import date

import pytest
from freezegun import freeze_time

from simi.applications import workflow
from simi.applications.tests.test_workflow import upload_all
from simi.appointments import services
from simi.appointments.models import Booking, BookingStatus, Ticket
from simi.appointments.tasks import mark_missed_appointments
from simi.audit.models import AuditEntry

TUESDAY = date(2026, 8, 11)
TUESDAY_0900 = "2026-08-11 02:00:00"  # 09:00 WIB


@pytest.fixture
def booking(ani, application):
    return services.booking_create(
        actor=ani, application=application, day=TUESDAY, session_code="pagi"
    )


def _status_on_page(client, booking):
    html = client.get(f"/janji-temu/{booking.public_id}/").content.decode()
    start = html.index('id="booking-status">') + len('id="booking-status">')
    return html[start : html.index("<", start)]


def test_it_shows_the_visit_done_once_the_counter_serves_the_number(
    client_for, ani, officer, booking
):
    with freeze_time(TUESDAY_0900):
        desk = client_for(officer)
        # given Ani checked in at the counter and her number was called
        desk.post("/kantor/antrean/check-in/", {"office": "ulp-liwa", "code": booking.code})
        desk.post("/kantor/antrean/panggil/", {"office": "ulp-liwa", "counter": "Loket 1"})
        ticket = Ticket.objects.get(booking=booking)
        # when the officer marks it served
        assert desk.post(f"/kantor/antrean/nomor/{ticket.public_id}/served/").status_code == 302
        # then the booking is a visit done, on the counter's list and on Ani's page
        booking.refresh_from_db()
        assert booking.status == BookingStatus.ATTENDED
        assert "Kunjungan selesai" in desk.get("/kantor/antrean/janji/").content.decode()
        assert _status_on_page(client_for(ani), booking) == "Kunjungan selesai"
        entry = AuditEntry.objects.get(action="appointments.attended")
        assert entry.data["via"] == "counter"
        # and tonight's job leaves it alone
    with freeze_time("2026-08-11 12:00:00"):
        assert mark_missed_appointments.call() == 0


def test_a_number_that_never_came_to_the_counter_is_a_missed_visit(
    client_for, ani, officer, booking
):
    with freeze_time(TUESDAY_0900):
        desk = client_for(officer)
        desk.post("/kantor/antrean/check-in/", {"office": "ulp-liwa", "code": booking.code})
        ticket = Ticket.objects.get(booking=booking)
        assert desk.post(f"/kantor/antrean/nomor/{ticket.public_id}/no_show/").status_code == 302
        booking.refresh_from_db()
        assert booking.status == BookingStatus.MISSED
        assert _status_on_page(client_for(ani), booking) == "Tidak hadir"


def test_it_shows_the_visit_done_once_the_officer_records_the_interview(
    client_for, ani, officer, application, booking
):
    with freeze_time(TUESDAY_0900):
        # given Ani came on Tuesday without checking in, and verification is done
        upload_all(ani, application)
        workflow.start_verification(actor=officer, application=application)
        workflow.complete_verification(actor=officer, application=application)
        # when the officer records the interview on the application's page
        response = client_for(officer).post(
            f"/kantor/permohonan/{application.public_id}/record_interview/",
            {"biometrics_reference": "BIO-1234", "note": ""},
        )
        assert response.status_code == 302
        # then her booking is a visit done, not one to be marked missed
        booking.refresh_from_db()
        assert booking.status == BookingStatus.ATTENDED
        assert booking.attended_at is not None
        assert AuditEntry.objects.get(action="appointments.attended").data["via"] == "interview"
        client = client_for(ani)
        client.cookies["django_language"] = "en"
        assert _status_on_page(client, booking) == "Visit done"
    with freeze_time("2026-08-12 02:00:00"):
        assert mark_missed_appointments.call() == 0


def test_it_marks_a_booking_missed_once_the_office_day_ended(client_for, ani, booking):
    # at 14:00 WIB the afternoon session still runs: a late arrival can check in
    with freeze_time("2026-08-11 07:00:00"):
        assert mark_missed_appointments.call() == 0
        assert Booking.objects.get().status == BookingStatus.BOOKED
    # after the last session (15:00 WIB) nobody came: the booking is missed
    with freeze_time("2026-08-11 08:30:00"):
        assert mark_missed_appointments.call() == 1
        assert mark_missed_appointments.call() == 0
        assert _status_on_page(client_for(ani), booking) == "Tidak hadir"
        list_page = client_for(ani).get("/janji-temu/").content.decode()
        assert "Tidak hadir" in list_page
        entry = AuditEntry.objects.get(action="appointments.marked_missed")
        assert entry.data["reason"] == "day_ended"
