"""Booking, rescheduling and cancelling, through the services and the API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from simi.applications.models import Application
from simi.applications.services import application_cancel
from simi.appointments import selectors, services
from simi.appointments.models import Booking, BookingSettings, BookingStatus
from simi.appointments.tests.conftest import (
    API,
    TODAY,
    post_json,
    set_places,
    submitted_application,
)
from simi.audit.models import AuditEntry
from simi.core.errors import Conflict, NotFound, ValidationFailed
from simi.core.models import CalendarException, Office

WEDNESDAY = date(2026, 8, 12)
INDEPENDENCE_DAY = date(2026, 8, 17)


def book(user, app, day=WEDNESDAY, session="pagi"):
    return services.booking_create(actor=user, application=app, day=day, session_code=session)


def test_it_books_a_session_and_gives_a_booking_code(ani, application):
    # when
    booking = book(ani, application)
    # then
    assert booking.status == BookingStatus.BOOKED
    assert len(booking.code) == 8
    assert booking.office.code == "ulp-liwa"
    assert booking.kind == "passport"
    entry = AuditEntry.objects.get(action="appointments.booked")
    assert entry.data["booking"] == booking.code
    assert entry.data["application"] == str(application.public_id)


def test_the_quota_is_respected(ani, budi, application):
    # given one place in Wednesday morning for passports at Liwa
    set_places("ulp-liwa", "pagi", "passport", 1)
    book(ani, application)
    other = submitted_application(budi)
    # when someone else asks for the same session
    with pytest.raises(Conflict) as exc:
        book(budi, other)
    # then it is full, and the afternoon still has places
    assert exc.value.code == "slot_full"
    assert book(budi, other, session="siang").session.code == "siang"


def test_weekends_and_holidays_are_closed_and_say_why(ani, application):
    _service, _office, days = selectors.availability(
        service_code="passport-ordinary-5y",
        office_code="ulp-liwa",
        date_from=date(2026, 8, 14),
        date_to=INDEPENDENCE_DAY,
    )
    by_day = {day.day: day for day in days}
    assert by_day[date(2026, 8, 14)].is_open
    assert by_day[date(2026, 8, 15)].closed_reason == "weekend"
    assert by_day[INDEPENDENCE_DAY].closed_reason == "holiday"
    assert "Kemerdekaan" in by_day[INDEPENDENCE_DAY].closed_label
    with pytest.raises(ValidationFailed) as exc:
        book(ani, application, day=INDEPENDENCE_DAY)
    assert exc.value.code == "office_closed"
    with pytest.raises(ValidationFailed):
        book(ani, application, day=date(2026, 8, 15))


def test_an_office_closure_is_closed_with_its_reason(ani, application, liwa):
    CalendarException.objects.create(
        date=WEDNESDAY, office=liwa, is_working_day=False, reason="Renovasi loket"
    )
    _s, _o, days = selectors.availability(
        service_code="passport-ordinary-5y",
        office_code="ulp-liwa",
        date_from=WEDNESDAY,
        date_to=WEDNESDAY,
    )
    assert (days[0].closed_reason, days[0].closed_label) == ("office_closed", "Renovasi loket")
    with pytest.raises(ValidationFailed):
        book(ani, application)


def test_the_booking_window_is_thirty_days(ani, application):
    last = TODAY + timedelta(days=30)  # Wednesday 9 September 2026
    assert book(ani, application, day=last).day == last
    services.booking_cancel(actor=ani, booking=Booking.objects.get())
    with pytest.raises(ValidationFailed) as exc:
        book(ani, application, day=last + timedelta(days=1))
    assert exc.value.code == "outside_window"
    with pytest.raises(ValidationFailed):
        book(ani, application, day=TODAY)  # not today: from tomorrow on


def test_the_window_is_set_per_office(ani, application, liwa):
    BookingSettings.objects.filter(office=liwa).update(window_days=7)
    with pytest.raises(ValidationFailed):
        book(ani, application, day=TODAY + timedelta(days=9))
    first, last = selectors.bookable_range(liwa)
    assert (first, last) == (TODAY + timedelta(days=1), TODAY + timedelta(days=7))


def test_only_a_submitted_open_application_can_be_booked(ani, application):
    draft_app = Application.objects.create(
        service_type=application.service_type,
        applicant=ani,
        person=application.person,
        office=application.office,
    )
    with pytest.raises(Conflict) as exc:
        book(ani, draft_app)
    assert exc.value.code == "application_not_open"
    cancelled = application_cancel(actor=ani, application=application, reason="no_longer_needed")
    with pytest.raises(Conflict):
        book(ani, cancelled)


def test_one_active_booking_per_application(ani, application):
    book(ani, application)
    with pytest.raises(Conflict) as exc:
        book(ani, application, day=WEDNESDAY + timedelta(days=1))
    assert exc.value.code == "already_booked"


def test_the_database_refuses_a_second_active_booking(ani, application):
    from django.db import IntegrityError, transaction

    first = book(ani, application)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            code="ZZZZZZZZ",
            application=application,
            applicant=ani,
            office=first.office,
            kind=first.kind,
            session=first.session,
            day=first.day,
        )


def test_reschedule_works_once(ani, application):
    booking = book(ani, application)
    moved = services.booking_reschedule(
        actor=ani, booking=booking, day=date(2026, 8, 20), session_code="siang"
    )
    assert (moved.day, moved.session.code, moved.reschedule_count) == (
        date(2026, 8, 20),
        "siang",
        1,
    )
    with pytest.raises(Conflict) as exc:
        services.booking_reschedule(
            actor=ani, booking=moved, day=date(2026, 8, 21), session_code="pagi"
        )
    assert exc.value.code == "already_rescheduled"
    assert AuditEntry.objects.filter(action="appointments.rescheduled").count() == 1


def test_reschedule_is_refused_on_the_day_before(ani, application):
    booking = book(ani, application, day=date(2026, 8, 11))  # tomorrow
    with pytest.raises(Conflict) as exc:
        services.booking_reschedule(
            actor=ani, booking=booking, day=date(2026, 8, 13), session_code="pagi"
        )
    assert exc.value.code == "too_late"
    # two days before, at 23:59 in Jakarta, it is still possible
    later = book_other_day = date(2026, 8, 14)
    services.booking_cancel(actor=ani, booking=booking)
    booking = book(ani, application, day=later)
    with freeze_time("2026-08-12 16:59:00"):  # Wednesday 23:59 WIB
        assert services.can_reschedule(booking)
    with freeze_time("2026-08-12 17:00:00"):  # Thursday 00:00 WIB: the day before
        assert not services.can_reschedule(booking)
        with pytest.raises(Conflict):
            services.booking_reschedule(
                actor=ani,
                booking=booking,
                day=book_other_day + timedelta(days=4),
                session_code="pagi",
            )


def test_cancel_frees_the_place(ani, budi, application):
    set_places("ulp-liwa", "pagi", "passport", 1)
    booking = book(ani, application)
    other = submitted_application(budi)
    with pytest.raises(Conflict):
        book(budi, other)
    # when
    services.booking_cancel(actor=ani, booking=booking)
    # then
    assert book(budi, other).day == WEDNESDAY
    assert AuditEntry.objects.filter(action="appointments.cancelled").count() == 1
    # and Ani may book again for her application
    assert book(ani, application, session="siang").status == BookingStatus.BOOKED


def test_someone_elses_booking_is_not_found(ani, budi, application):
    booking = book(ani, application)
    with pytest.raises(NotFound):
        selectors.booking_get_own(actor=budi, public_id=booking.public_id)
    with pytest.raises(NotFound):
        services.booking_cancel(actor=budi, booking=booking)
    with pytest.raises(NotFound):
        services.booking_create(
            actor=budi, application=application, day=WEDNESDAY, session_code="pagi"
        )


def test_missed_bookings_free_the_application(ani, application):
    booking = book(ani, application, day=date(2026, 8, 11))
    assert services.bookings_mark_missed(today=date(2026, 8, 12)) == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.MISSED
    assert services.bookings_mark_missed(today=date(2026, 8, 12)) == 0


# --- API ------------------------------------------------------------------------


def test_api_availability_lists_free_places_and_closed_days(client, ani, application):
    set_places("ulp-liwa", "pagi", "passport", 2)
    book(ani, application)
    response = client.get(
        f"{API}/appointments/availability",
        {
            "service": "passport-ordinary-5y",
            "office": "ulp-liwa",
            "date_from": "2026-08-12",
            "date_to": "2026-08-17",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["first_bookable"] == "2026-08-11"
    assert body["last_bookable"] == "2026-09-09"
    days = {day["date"]: day for day in body["days"]}
    morning = days["2026-08-12"]["sessions"][0]
    assert (morning["code"], morning["places"], morning["free"]) == ("pagi", 2, 1)
    assert days["2026-08-16"]["closed_reason"] == "weekend"
    assert days["2026-08-17"]["closed_reason"] == "holiday"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"service": "nope", "office": "ulp-liwa"}, "service"),
        ({"service": "itk-30d", "office": "ulp-liwa"}, "office"),
        (
            {
                "service": "passport-ordinary-5y",
                "office": "ulp-liwa",
                "date_from": "2026-08-20",
                "date_to": "2026-08-12",
            },
            "date_to",
        ),
    ],
)
def test_api_availability_rejects_bad_input_by_field(client, schedule, params, field):
    response = client.get(f"{API}/appointments/availability", params)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_api_books_with_idempotency_key_once(client_for, ani, application):
    client = client_for(ani)
    url = f"{API}/applications/{application.public_id}/appointment"
    body = {"date": "2026-08-12", "session": "pagi"}
    first = post_json(client, url, body, HTTP_IDEMPOTENCY_KEY="book-1")
    again = post_json(client, url, body, HTTP_IDEMPOTENCY_KEY="book-1")
    assert first.status_code == 201
    assert again.status_code == 201
    assert again.json() == first.json()
    assert Booking.objects.count() == 1
    assert first.json()["status"] == "booked"
    assert first.json()["can_reschedule"] is True
    listed = client.get(f"{API}/appointments").json()
    assert [item["id"] for item in listed["items"]] == [first.json()["id"]]


def test_api_refuses_a_full_session_with_a_conflict(client_for, ani, application):
    set_places("ulp-liwa", "pagi", "passport", 0)
    response = post_json(
        client_for(ani),
        f"{API}/applications/{application.public_id}/appointment",
        {"date": "2026-08-12", "session": "pagi"},
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "slot_full"


def test_api_rejects_a_bad_date_with_a_field_error(client_for, ani, application):
    response = post_json(
        client_for(ani),
        f"{API}/applications/{application.public_id}/appointment",
        {"date": "2026-08-15", "session": "pagi"},
    )
    assert response.status_code == 422
    assert "date" in response.json()["error"]["fields"]


def test_api_someone_elses_application_and_booking_answer_404(client_for, ani, budi, application):
    booking = book(ani, application)
    client = client_for(budi)
    assert (
        post_json(
            client,
            f"{API}/applications/{application.public_id}/appointment",
            {"date": "2026-08-13", "session": "pagi"},
        ).status_code
        == 404
    )
    assert client.get(f"{API}/appointments/{booking.public_id}").status_code == 404
    assert post_json(client, f"{API}/appointments/{booking.public_id}/cancel").status_code == 404
    assert (
        post_json(
            client,
            f"{API}/appointments/{booking.public_id}/reschedule",
            {"date": "2026-08-13", "session": "pagi"},
        ).status_code
        == 404
    )
    assert client.get(f"{API}/appointments").json()["count"] == 0


def test_api_reschedule_and_cancel(client_for, ani, application):
    booking = book(ani, application)
    client = client_for(ani)
    moved = post_json(
        client,
        f"{API}/appointments/{booking.public_id}/reschedule",
        {"date": "2026-08-13", "session": "siang"},
    )
    assert moved.status_code == 200
    assert (moved.json()["date"], moved.json()["can_reschedule"]) == ("2026-08-13", False)
    again = post_json(
        client,
        f"{API}/appointments/{booking.public_id}/reschedule",
        {"date": "2026-08-14", "session": "siang"},
    )
    assert again.status_code == 409
    cancelled = post_json(client, f"{API}/appointments/{booking.public_id}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"


def test_booking_time_is_jakarta(ani, application):
    booking = book(ani, application)
    starts, _ends = selectors.session_bounds(booking.session, booking.day)
    assert starts is not None
    assert timezone.localtime(starts).hour == 8
    assert Office.objects.get(code="ulp-liwa") == booking.office
