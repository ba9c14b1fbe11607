"""The applications API: own records only, applicants only, errors as fields."""

import pytest

from simi.applications.models import Application, Status
from simi.applications.tests.complete import DECLARED, complete_through_api
from simi.applications.tests.conftest import API, post_json

pytestmark = pytest.mark.django_db

NEW = {"service": "passport-ordinary-5y", "office": "ulp-liwa"}


def test_an_applicant_creates_submits_and_cancels_through_the_api(ani, client_for):
    client = client_for(ani)
    # when Ani creates a draft
    created = post_json(client, f"{API}/applications", NEW)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft"
    assert body["tracking_code"] is None
    # and completes and submits it
    complete_through_api(client, body["id"])
    submitted = post_json(client, f"{API}/applications/{body['id']}/submit", DECLARED)
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["fee_total_at_submit"] == 350_000
    assert len(submitted.json()["tracking_code"]) == 17  # XXXX-XXXX-XXXX-CC
    # then she sees it in her list and by id, and can cancel it
    listed = client.get(f"{API}/applications").json()
    assert listed["count"] == 1
    assert listed["items"][0]["status"] == "registered"
    assert client.get(f"{API}/applications/{body['id']}").json()["status"] == "registered"
    cancelled = post_json(
        client, f"{API}/applications/{body['id']}/cancel", {"reason": "duplicate"}
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"


def test_missing_identity_data_is_a_person_field_error(applicant, catalogue, client_for):
    response = post_json(client_for(applicant), f"{API}/applications", NEW)
    assert response.status_code == 422
    assert "person" in response.json()["error"]["fields"]


def test_an_unknown_cancel_reason_is_a_field_error(ani, draft, client_for):
    response = post_json(
        client_for(ani), f"{API}/applications/{draft.public_id}/cancel", {"reason": "bosan"}
    )
    assert response.status_code == 422
    assert "reason" in response.json()["error"]["fields"]


def test_another_applicants_application_answers_404(budi, draft, client_for):
    client = client_for(budi)
    assert client.get(f"{API}/applications/{draft.public_id}").status_code == 404
    submit = post_json(client, f"{API}/applications/{draft.public_id}/submit", DECLARED)
    assert submit.status_code == 404
    cancel = post_json(client, f"{API}/applications/{draft.public_id}/cancel", {"reason": "other"})
    assert cancel.status_code == 404
    assert client.get(f"{API}/applications").json()["count"] == 0
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_anonymous_callers_and_staff_cannot_create(officer, catalogue, client, client_for):
    from django.test import Client

    assert post_json(Client(), f"{API}/applications", NEW).status_code == 401
    assert post_json(client_for(officer), f"{API}/applications", NEW).status_code == 403
    assert Application.objects.count() == 0


def test_the_list_pages_and_survives_an_offset_beyond_any_integer(ani, client_for):
    client = client_for(ani)
    for _ in range(3):
        assert post_json(client, f"{API}/applications", NEW).status_code == 201
    page = client.get(f"{API}/applications", {"limit": 2, "offset": 1}).json()
    assert page["count"] == 3
    assert len(page["items"]) == 2
    beyond = client.get(f"{API}/applications", {"offset": 10**20})
    assert beyond.status_code == 200
    assert beyond.json() == {"items": [], "count": 3}
