"""The counter: check-in, queue numbers, priority walk-ins, call next, and
who may see which office."""

from __future__ import annotations

from datetime import date

import pytest
from freezegun import freeze_time

from simi.accounts.tests.factories import UserFactory
from simi.appointments import selectors, services
from simi.appointments.models import BookingStatus, PriorityQuota, TicketStatus
from simi.appointments.tests.conftest import API, post_json, submitted_application
from simi.audit.models import AuditEntry
from simi.core.errors import Conflict, NotFound, PermissionDenied
from simi.people.services import PersonData, person_create

TUESDAY = date(2026, 8, 11)


@pytest.fixture
def booked_today(ani, budi, liwa):
    """Ani and Budi booked Tuesday morning at Liwa; it is now Tuesday 08:30."""
    bookings = []
    for user in (ani, budi):
        app = submitted_application(user)
        bookings.append(
            services.booking_create(actor=user, application=app, day=TUESDAY, session_code="pagi")
        )
    with freeze_time("2026-08-11 01:30:00"):
        yield bookings


def test_check_in_gives_increasing_numbers_per_line(officer, booked_today, liwa):
    first = services.booking_check_in(actor=officer, office=liwa, code=booked_today[0].code)
    second = services.booking_check_in(
        actor=officer, office=liwa, code=booked_today[1].code.lower()
    )
    assert (first.display, second.display) == ("A-001", "A-002")
    booked_today[0].refresh_from_db()
    assert booked_today[0].status == BookingStatus.CHECKED_IN
    entry = AuditEntry.objects.get(
        action="appointments.checked_in", object_id=str(booked_today[0].public_id)
    )
    assert entry.data["ticket"] == "A-001"


def test_a_booking_checks_in_once_and_only_on_its_day(ani, officer, liwa, application):
    booking = services.booking_create(
        actor=ani, application=application, day=date(2026, 8, 12), session_code="pagi"
    )
    with pytest.raises(Conflict) as exc:
        services.booking_check_in(actor=officer, office=liwa, code=booking.code)
    assert exc.value.code == "not_today"
    with freeze_time("2026-08-12 01:00:00"):
        services.booking_check_in(actor=officer, office=liwa, code=booking.code)
        with pytest.raises(Conflict) as exc:
            services.booking_check_in(actor=officer, office=liwa, code=booking.code)
    assert exc.value.code == "already_checked_in"


def test_foreigners_permits_get_their_own_line(officer, supervisor, booked_today, kotabumi):
    with freeze_time("2026-08-10 03:00:00"):
        john = UserFactory(email="john@example.test")
        john.person = person_create(
            actor=None,
            data=PersonData(
                kind="foreigner",
                full_name="John Example",
                passport_number="X1234567",
                nationality="AUS",
            ),
        )
        john.save(update_fields=["person"])
        app = submitted_application(john, office="kanim-kotabumi", service="itk-30d")
        booking = services.booking_create(
            actor=john, application=app, day=TUESDAY, session_code="pagi"
        )
    ticket = services.booking_check_in(actor=supervisor, office=kotabumi, code=booking.code)
    assert ticket.display == "B-001"


def test_priority_walk_ins_are_called_first(officer, booked_today, liwa):
    services.booking_check_in(actor=officer, office=liwa, code=booked_today[0].code)
    walk_in = services.walk_in_register(
        actor=officer, office=liwa, kind="passport", reason="elderly"
    )
    assert walk_in.display == "P-001"
    called = services.queue_call_next(actor=officer, office=liwa, counter="Loket 1")
    assert called is not None
    assert called.display == "P-001"
    assert called.counter == "Loket 1"
    assert (
        services.queue_call_next(actor=officer, office=liwa, counter="Loket 2").display == "A-001"
    )
    assert services.queue_call_next(actor=officer, office=liwa, counter="Loket 2") is None


def test_the_priority_quota_is_respected(officer, liwa, schedule):
    PriorityQuota.objects.filter(office=liwa).update(places=2)
    services.walk_in_register(actor=officer, office=liwa, kind="passport", reason="pregnant")
    services.walk_in_register(actor=officer, office=liwa, kind="passport", reason="disability")
    with pytest.raises(Conflict) as exc:
        services.walk_in_register(
            actor=officer, office=liwa, kind="passport", reason="child_under_5"
        )
    assert exc.value.code == "priority_quota_full"
    assert [t.display for t in selectors.tickets_of_day(actor=officer, office=liwa)] == [
        "P-001",
        "P-002",
    ]


def test_served_and_no_show(officer, booked_today, liwa):
    services.booking_check_in(actor=officer, office=liwa, code=booked_today[0].code)
    services.booking_check_in(actor=officer, office=liwa, code=booked_today[1].code)
    called = services.queue_call_next(actor=officer, office=liwa, counter="Loket 1")
    done = services.ticket_finish(actor=officer, ticket=called, outcome="served")
    assert done.status == TicketStatus.SERVED
    waiting = selectors.tickets_of_day(actor=officer, office=liwa, status="waiting").get()
    assert (
        services.ticket_finish(actor=officer, ticket=waiting, outcome="no_show").status == "no_show"
    )
    with pytest.raises(Conflict):
        services.ticket_finish(actor=officer, ticket=waiting, outcome="served")


def test_an_outsider_sees_nothing_of_ours(outsider, officer, booked_today, liwa, kotabumi):
    ticket = services.booking_check_in(actor=officer, office=liwa, code=booked_today[1].code)
    with pytest.raises(NotFound):
        selectors.office_for_staff(actor=outsider, office_code="ulp-liwa")
    with pytest.raises(NotFound):
        services.booking_check_in(actor=outsider, office=liwa, code=booked_today[0].code)
    with pytest.raises(NotFound):
        selectors.ticket_get_for_staff(actor=outsider, public_id=ticket.public_id)
    with pytest.raises(NotFound):
        services.queue_call_next(actor=outsider, office=kotabumi, counter="Loket 1")


def test_the_service_point_officer_does_not_manage_the_parent_office(officer, supervisor, kotabumi):
    with pytest.raises(NotFound):
        selectors.office_for_staff(actor=officer, office_code="kanim-kotabumi")
    codes = {office.code for office in selectors.offices_managed(actor=supervisor)}
    assert codes == {"kanim-kotabumi", "ulp-liwa"}


def test_staff_without_the_capability_are_refused(oversight, applicant, liwa):
    for actor in (oversight, applicant):
        with pytest.raises(PermissionDenied):
            selectors.offices_managed(actor=actor)


# --- API ------------------------------------------------------------------------


def test_api_counter_day(client_for, officer, booked_today):
    client = client_for(officer)
    checked = post_json(client, f"{API}/appointments/desk/check-in", {"code": booked_today[0].code})
    assert checked.status_code == 201
    assert checked.json()["number"] == "A-001"
    walk_in = post_json(
        client, f"{API}/appointments/desk/walk-ins", {"kind": "passport", "reason": "elderly"}
    )
    assert walk_in.status_code == 201
    assert walk_in.json()["number"] == "P-001"
    queue = client.get(f"{API}/appointments/desk/queue").json()
    assert [item["number"] for item in queue["items"]] == ["P-001", "A-001"]
    called = post_json(
        client,
        f"{API}/appointments/desk/call-next",
        {"counter": "Loket 3"},
        HTTP_IDEMPOTENCY_KEY="call-1",
    )
    replay = post_json(
        client,
        f"{API}/appointments/desk/call-next",
        {"counter": "Loket 3"},
        HTTP_IDEMPOTENCY_KEY="call-1",
    )
    assert called.json()["ticket"]["number"] == "P-001"
    assert replay.json() == called.json()  # a retry does not call a second person
    assert called.json()["waiting"] == 1
    finished = post_json(
        client,
        f"{API}/appointments/desk/tickets/{called.json()['ticket']['id']}/finish",
        {"outcome": "served"},
    )
    assert finished.status_code == 200
    assert finished.json()["status"] == "served"
    bookings = client.get(f"{API}/appointments/desk/bookings").json()
    assert {item["status"] for item in bookings["items"]} == {"booked", "checked_in"}


def test_api_counter_is_for_counter_staff_of_the_office(
    client_for, officer, outsider, oversight, applicant, booked_today
):
    assert client_for(applicant).get(f"{API}/appointments/desk/queue").status_code == 403
    assert client_for(oversight).get(f"{API}/appointments/desk/queue").status_code == 403
    assert client_for(officer, mfa=False).get(f"{API}/appointments/desk/queue").status_code == 403
    outside = client_for(outsider)
    assert outside.get(f"{API}/appointments/desk/queue?office=ulp-liwa").status_code == 404
    assert outside.get(f"{API}/appointments/desk/bookings").json()["count"] == 0
    refused = post_json(
        outside,
        f"{API}/appointments/desk/check-in",
        {"office": "ulp-liwa", "code": booked_today[0].code},
    )
    assert refused.status_code == 404


def test_api_walk_in_needs_a_reason_from_the_list(client_for, officer, schedule):
    response = post_json(
        client_for(officer),
        f"{API}/appointments/desk/walk-ins",
        {"kind": "passport", "reason": "vip"},
    )
    assert response.status_code == 422
