"""Appointment test helpers: a fixed today (Monday 10 August 2026, 10:00 in
Jakarta), the starting schedule, and submitted applications of the personas."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client
from freezegun import freeze_time

import simi.urls  # noqa: F401  (schemas built before time is frozen: pydantic refuses fake datetimes)
from simi.applications.services import application_create
from simi.applications.tests.complete import submit_complete
from simi.applications.tests.conftest import give_identity
from simi.appointments.models import Quota
from simi.appointments.referencedata import current_models, load_schedule
from simi.core.models import Office

API = "/api/v1"
TODAY = date(2026, 8, 10)  # a Monday; 17 August 2026 (Independence Day) is a Monday too
NOW_UTC = "2026-08-10 03:00:00"  # 10:00 Asia/Jakarta


@pytest.fixture(autouse=True)
def frozen_today() -> Iterator[None]:
    with freeze_time(NOW_UTC):
        yield


@pytest.fixture
def schedule(catalogue: None) -> None:
    """The starting schedule from the data migration (reloaded after a flush)."""
    load_schedule(current_models(), Office)


def set_places(office_code: str, session: str, kind: str, places: int) -> None:
    Quota.objects.filter(
        session__office__code=office_code, session__code=session, kind=kind
    ).update(places=places)


def submitted_application(
    user: Any, *, office: str = "ulp-liwa", service: str = "passport-ordinary-5y"
) -> Any:
    draft = application_create(actor=user, service_code=service, office_code=office)
    return submit_complete(actor=user, application=draft)


@pytest.fixture
def ani(applicant: Any, schedule: None) -> Any:
    give_identity(applicant, nik="1804041708850003", name="Ani Rahmawati Putri")
    return applicant


@pytest.fixture
def budi(other_applicant: Any, schedule: None) -> Any:
    give_identity(other_applicant, nik="1804045501900002", name="Budi Santoso")
    return other_applicant


@pytest.fixture
def application(ani: Any) -> Any:
    """Ani's submitted passport application at the Liwa service point."""
    return submitted_application(ani)


def post_json(client: Client, url: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **headers)
