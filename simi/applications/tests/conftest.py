"""Application test helpers: identity records for the personas, and quick
drafts and submissions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from simi.applications.services import application_create
from simi.applications.tests.complete import submit_complete
from simi.people.services import PersonData, person_create

ANI_NIK = "1804041708850003"
BUDI_NIK = "1804045501900002"
ANI_NAME = "Ani Rahmawati Putri"
API = "/api/v1"


def give_identity(user: Any, *, nik: str, name: str) -> Any:
    person = person_create(
        actor=None, data=PersonData(kind="citizen", full_name=name, nik=nik, address="Pekon Uji")
    )
    user.person = person
    user.save(update_fields=["person"])
    return person


@pytest.fixture
def ani(applicant: Any, catalogue: None) -> Any:
    """The applicant with her identity record entered."""
    give_identity(applicant, nik=ANI_NIK, name=ANI_NAME)
    return applicant


@pytest.fixture
def budi(other_applicant: Any, catalogue: None) -> Any:
    give_identity(other_applicant, nik=BUDI_NIK, name="Budi Santoso")
    return other_applicant


@pytest.fixture
def draft(ani: Any) -> Any:
    return application_create(
        actor=ani, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )


@pytest.fixture
def submitted(ani: Any, draft: Any) -> Any:
    return submit_complete(actor=ani, application=draft)


def post_json(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)
