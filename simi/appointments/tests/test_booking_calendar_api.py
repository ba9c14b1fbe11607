"""The API gives what the booking page shows: the earliest free session and
a week of sessions; and the booking proof and its calendar file."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from simi.accounts.services import api_token_create
from simi.appointments import services
from simi.appointments.tests.conftest import API, set_places

LIWA_PASSPORT = {"service": "passport-ordinary-5y", "office": "ulp-liwa"}


def test_it_gives_the_earliest_session_and_the_first_week(client, schedule):
    # given every morning at Liwa is full
    set_places("ulp-liwa", "pagi", "passport", 0)
    # when anyone asks for the slots without a week
    response = client.get(f"{API}/appointments/slots", LIWA_PASSPORT)
    # then the earliest is tomorrow afternoon, and the week is this one
    assert response.status_code == 200
    body = response.json()
    assert body["earliest"]["date"] == "2026-08-11"
    assert body["earliest"]["session"] == "siang"
    assert body["earliest"]["starts_at"] == "2026-08-11T13:00:00+07:00"
    assert (body["week"], body["start"], body["end"]) == ("2026-W33", "2026-08-10", "2026-08-16")
    assert body["previous_week"] is None
    assert body["next_week"] == "2026-W34"
    assert [day["date"] for day in body["days"]] == [
        "2026-08-11",
        "2026-08-12",
        "2026-08-13",
        "2026-08-14",
    ]


def test_it_gives_a_week_by_iso_week_or_by_a_day_of_it(client, schedule):
    by_week = client.get(f"{API}/appointments/slots", {**LIWA_PASSPORT, "week": "2026-W34"})
    by_day = client.get(f"{API}/appointments/slots", {**LIWA_PASSPORT, "start": "2026-08-20"})
    assert by_week.status_code == by_day.status_code == 200
    assert by_week.json()["days"] == by_day.json()["days"]
    days = {day["date"]: day for day in by_week.json()["days"]}
    assert days["2026-08-17"]["closed_reason"] == "holiday"
    assert days["2026-08-18"]["is_open"] is True
    assert "2026-08-22" not in days  # Saturday: not a working day
    assert by_week.json()["previous_week"] == "2026-W33"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"week": "2026-33"}, "week_invalid"),
        ({"week": "2026-W54"}, "week_invalid"),
        ({"week": "2026-W32"}, "outside_window"),  # last week
        ({"week": "2026-W38"}, "outside_window"),  # past the 30-day window
        ({"start": "2026-08-03"}, "outside_window"),
        ({"week": "2026-W34", "start": "2026-08-20"}, "week_invalid"),
    ],
)
def test_it_refuses_a_week_it_cannot_show(client, schedule, params, code):
    response = client.get(f"{API}/appointments/slots", {**LIWA_PASSPORT, **params})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == code
    assert "week" in error["fields"]


def test_it_gives_the_proof_and_the_calendar_file_to_the_applicant_only(
    client_for, ani, budi, application
):
    booking = services.booking_create(
        actor=ani, application=application, day=date(2026, 8, 12), session_code="pagi"
    )
    # given Ani's token with the profile scope
    _token, secret = api_token_create(actor=ani, name="ponsel", scopes=["profile"], days=5)
    phone = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    # when her phone asks for the proof
    proof = phone.get(f"{API}/appointments/{booking.public_id}/proof")
    # then it has the reference, the QR text, where, when and what to bring
    assert proof.status_code == 200
    body = proof.json()
    code = services.display_booking_code(booking.code)
    assert (body["reference"], body["qr_payload"]) == (code, code)
    assert body["office_name"] == "Unit Layanan Keimigrasian Liwa"
    assert body["starts_at"] == "2026-08-12T08:00:00+07:00"
    assert body["documents"]
    assert body["calendar_file"] == f"/api/v1/appointments/{booking.public_id}/calendar.ics"
    # and the calendar file is an iCalendar event with the booking's UID
    ics = phone.get(body["calendar_file"])
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    assert f"UID:{booking.public_id}@" in ics.content.decode()
    assert "DTSTART:20260812T010000Z\r\n" in ics.content.decode()
    # someone else's booking answers 404
    other = client_for(budi)
    assert other.get(f"{API}/appointments/{booking.public_id}/proof").status_code == 404
    assert other.get(f"{API}/appointments/{booking.public_id}/calendar.ics").status_code == 404


def test_a_token_without_the_profile_scope_gets_no_proof(ani, officer, application):
    booking = services.booking_create(
        actor=ani, application=application, day=date(2026, 8, 12), session_code="pagi"
    )
    _token, secret = api_token_create(actor=officer, name="desk", scopes=["staff:read"], days=5)
    phone = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for path in ("proof", "calendar.ics"):
        response = phone.get(f"{API}/appointments/{booking.public_id}/{path}")
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "scope_missing"
