"""The applicant's lists cost the same number of queries for 3 applications
as for 15 (issue 13 F7: 2 queries per application, 167 for an account with
83, p50 966 ms)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from simi.accounts.services import api_token_create
from simi.applications.services import application_create

SERVICES = ("passport-ordinary-5y", "passport-ordinary-10y", "passport-electronic-5y")


def _drafts(user: Any, count: int) -> None:
    for n in range(count):
        application_create(
            actor=user, service_code=SERVICES[n % len(SERVICES)], office_code="ulp-liwa"
        )


def _queries(fetch: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_api_list_costs_the_same_for_3_and_15_applications(client, ani):
    _, token = api_token_create(actor=ani, name="phone", scopes=["profile"], days=1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def fetch() -> Any:
        return client.get("/api/v1/applications?limit=50", **auth)

    _drafts(ani, 3)
    fetch()  # the first request of a session also touches the session
    few = _queries(fetch)
    _drafts(ani, 12)
    many = _queries(fetch)
    assert len(fetch().json()["items"]) == 15
    assert many == few


@pytest.mark.django_db
def test_the_dashboard_costs_the_same_for_3_and_15_applications(client_for, ani):
    client = client_for(ani)

    def fetch() -> Any:
        return client.get("/permohonan/")

    _drafts(ani, 3)
    fetch()  # the first request of a session also touches the session
    few = _queries(fetch)
    _drafts(ani, 12)
    many = _queries(fetch)
    assert many == few
