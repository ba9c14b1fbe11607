"""The applicant's pages and the counter's back-office pages."""

from __future__ import annotations

from datetime import date

import pytest
from freezegun import freeze_time

from simi.appointments import services
from simi.appointments.models import Booking, BookingStatus, Ticket

WEDNESDAY = date(2026, 8, 12)


def _book(user, app, day=WEDNESDAY, session="pagi"):
    return services.booking_create(actor=user, application=app, day=day, session_code=session)


def test_my_appointments_offers_to_book_an_open_application(client_for, ani, application):
    page = client_for(ani).get("/janji-temu/")
    assert page.status_code == 200
    assert f"/janji-temu/permohonan/{application.public_id}/" in page.content.decode()


def test_booking_page_lists_days_and_books_a_session(client_for, ani, application):
    client = client_for(ani)
    url = f"/janji-temu/permohonan/{application.public_id}/"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="2026-08-12|pagi"' in html
    assert "Hari Kemerdekaan" in html  # 17 August is listed as closed, with its name
    response = client.post(url, {"slot": "2026-08-12|siang"})
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response.url == f"/janji-temu/{booking.public_id}/"
    detail = client.get(response.url).content.decode()
    assert services.display_booking_code(booking.code) in detail


def test_booking_page_refuses_a_closed_day(client_for, ani, application):
    response = client_for(ani).post(
        f"/janji-temu/permohonan/{application.public_id}/", {"slot": "2026-08-17|pagi"}
    )
    assert response.status_code == 422
    assert not Booking.objects.exists()


def test_someone_elses_pages_answer_404(client_for, ani, budi, application):
    booking = _book(ani, application)
    client = client_for(budi)
    assert client.get(f"/janji-temu/permohonan/{application.public_id}/").status_code == 404
    assert client.get(f"/janji-temu/{booking.public_id}/").status_code == 404
    assert (
        client.post(f"/janji-temu/{booking.public_id}/batalkan/", {"confirm": "on"}).status_code
        == 404
    )


def test_cancel_asks_for_confirmation(client_for, ani, application):
    booking = _book(ani, application)
    client = client_for(ani)
    url = f"/janji-temu/{booking.public_id}/batalkan/"
    assert client.get(url).status_code == 200
    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 422
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    assert client.post(url, {"confirm": "on"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_reschedule_page_moves_the_visit_once(client_for, ani, application):
    booking = _book(ani, application)
    client = client_for(ani)
    url = f"/janji-temu/{booking.public_id}/ubah/"
    assert "2026-08-12|pagi" in client.get(url).content.decode()  # shown, not selectable
    assert client.post(url, {"slot": "2026-08-14|pagi"}).status_code == 302
    booking.refresh_from_db()
    assert booking.day == date(2026, 8, 14)
    detail = client.get(f"/janji-temu/{booking.public_id}/").content.decode()
    assert f"/janji-temu/{booking.public_id}/ubah/" not in detail
    assert client.get(url).status_code == 302  # once only


# --- back office -----------------------------------------------------------------


@pytest.fixture
def booked_tomorrow(ani, application):
    return _book(ani, application, day=date(2026, 8, 11))


def test_the_counter_checks_in_calls_and_serves(client_for, officer, booked_tomorrow):
    with freeze_time("2026-08-11 01:30:00"):
        client = client_for(officer)
        page = client.get("/kantor/antrean/janji/")
        assert page.status_code == 200
        assert services.display_booking_code(booked_tomorrow.code) in page.content.decode()
        checked = client.post(
            "/kantor/antrean/check-in/", {"office": "ulp-liwa", "code": booked_tomorrow.code}
        )
        assert checked.status_code == 302
        walk_in = client.post(
            "/kantor/antrean/walk-in/",
            {"office": "ulp-liwa", "kind": "passport", "reason": "elderly"},
        )
        assert walk_in.status_code == 302
        page = client.get("/kantor/antrean/").content.decode()
        queue = page[page.index('id="queue-list"') :]
        assert queue.index("P-001") < queue.index("A-001")
        called = client.post(
            "/kantor/antrean/panggil/", {"office": "ulp-liwa", "counter": "Loket 1"}
        )
        assert called.status_code == 302
        ticket = Ticket.objects.get(status="called")
        assert ticket.display == "P-001"
        served = client.post(f"/kantor/antrean/nomor/{ticket.public_id}/served/")
        assert served.status_code == 302
        ticket.refresh_from_db()
        assert ticket.status == "served"


def test_a_wrong_booking_code_is_shown_on_the_form(client_for, officer, schedule):
    response = client_for(officer).post(
        "/kantor/antrean/check-in/", {"office": "ulp-liwa", "code": "ZZZZ-ZZZZ"}
    )
    assert response.status_code == 404
    assert 'class="field-error"' in response.content.decode()


def test_the_counter_pages_are_for_counter_staff_of_the_office(
    client_for, outsider, oversight, applicant, officer, booked_tomorrow
):
    assert client_for(applicant).get("/kantor/antrean/").status_code == 403
    assert client_for(oversight).get("/kantor/antrean/").status_code == 403
    assert client_for(outsider).get("/kantor/antrean/?office=ulp-liwa").status_code == 404
    outsider_page = client_for(outsider).get("/kantor/antrean/janji/")
    assert services.display_booking_code(booked_tomorrow.code) not in outsider_page.content.decode()
    with freeze_time("2026-08-11 01:30:00"):
        refused = client_for(outsider).post(
            "/kantor/antrean/check-in/", {"office": "ulp-liwa", "code": booked_tomorrow.code}
        )
    assert refused.status_code == 404
    unverified = client_for(officer, mfa=False).get("/kantor/antrean/")
    assert unverified.status_code == 302  # to the second factor first
