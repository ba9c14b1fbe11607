"""The applicant's dashboard at /permohonan/: their applications, the bills
they still have to pay and their upcoming visits, each read from its own domain."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from freezegun import freeze_time

import simi.urls  # noqa: F401  (schemas built before time is frozen: pydantic refuses fake datetimes)
from simi.applications.tests.conftest import give_identity
from simi.appointments.referencedata import current_models, load_schedule
from simi.appointments.services import booking_cancel, booking_create
from simi.appointments.tests.conftest import NOW_UTC, submitted_application
from simi.core.models import Office

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2026, 8, 12)  # two days after the frozen today


@pytest.fixture(autouse=True)
def frozen_today() -> Iterator[None]:
    with freeze_time(NOW_UTC):
        yield


@pytest.fixture
def ani(applicant: Any, catalogue: None) -> Any:
    load_schedule(current_models(), Office)
    give_identity(applicant, nik="1804041708850003", name="Ani Rahmawati Putri")
    return applicant


def _page(client_for: Any, user: Any) -> str:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    response = client.get("/permohonan/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_keeps_its_address_and_name():
    # then the portal's page answers where the applications list always was
    assert reverse("applications:list") == "/permohonan/"


def test_it_sends_a_visitor_to_sign_in(client):
    # when someone not signed in opens the dashboard
    response = client.get("/permohonan/")
    # then they are asked to sign in first
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_lists_the_upcoming_visit_with_the_application(ani, client_for):
    # given Ani's submitted application with a visit on Wednesday
    application = submitted_application(ani)
    booking = booking_create(actor=ani, application=application, day=WEDNESDAY, session_code="pagi")
    # when she opens her dashboard
    page = _page(client_for, ani)
    # then it shows the visit, linked to its page, and the application
    assert "Upcoming visits" in page
    assert reverse("appointments:detail", args=[booking.public_id]) in page
    assert application.tracking_code_display in page
    assert "Bills to pay" not in page


def test_it_leaves_out_a_cancelled_visit(ani, client_for):
    # given a visit Ani cancelled
    application = submitted_application(ani)
    booking = booking_create(actor=ani, application=application, day=WEDNESDAY, session_code="pagi")
    booking_cancel(actor=ani, booking=booking)
    # when she opens her dashboard
    page = _page(client_for, ani)
    # then no visit is listed
    assert "Upcoming visits" not in page


def test_it_shows_only_the_applicants_own_visits(ani, other_applicant, client_for):
    # given Ani's visit
    application = submitted_application(ani)
    booking_create(actor=ani, application=application, day=WEDNESDAY, session_code="pagi")
    # when another applicant opens their dashboard
    page = _page(client_for, other_applicant)
    # then they see neither her visit nor her application
    assert "Upcoming visits" not in page
    assert "You have no applications yet." in page
