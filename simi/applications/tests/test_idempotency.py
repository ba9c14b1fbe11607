"""Idempotency-Key: a retried POST never does the work twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from simi.applications.models import Application
from simi.applications.tests.complete import DECLARED, complete_draft
from simi.applications.tests.conftest import API, post_json
from simi.core import idempotency
from simi.core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db

NEW = {"service": "passport-ordinary-5y", "office": "ulp-liwa"}
KEY = {"HTTP_IDEMPOTENCY_KEY": "c0ffee-2026-11-22-a"}


def test_a_retried_create_with_the_same_key_makes_one_application(ani, client_for):
    client = client_for(ani)
    # when the same request is sent twice with the same key
    first = post_json(client, f"{API}/applications", NEW, **KEY)
    # (keys of the body in another order are the same request)
    second = post_json(
        client,
        f"{API}/applications",
        {"office": "ulp-liwa", "service": "passport-ordinary-5y"},
        **KEY,
    )
    # then one application exists and both answers are identical
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Application.objects.count() == 1


def test_the_same_key_with_a_different_body_is_refused(ani, client_for):
    client = client_for(ani)
    post_json(client, f"{API}/applications", NEW, **KEY)
    other = post_json(
        client, f"{API}/applications", {**NEW, "service": "passport-ordinary-10y"}, **KEY
    )
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in other.json()["error"]["fields"]
    assert Application.objects.count() == 1


def test_keys_belong_to_their_owner(ani, budi, client_for):
    post_json(client_for(ani), f"{API}/applications", NEW, **KEY)
    response = post_json(client_for(budi), f"{API}/applications", NEW, **KEY)
    assert response.status_code == 201
    assert Application.objects.count() == 2


def test_without_a_key_every_post_runs(ani, client_for):
    client = client_for(ani)
    post_json(client, f"{API}/applications", NEW)
    post_json(client, f"{API}/applications", NEW)
    assert Application.objects.count() == 2


def test_a_malformed_key_is_a_field_error(ani, client_for):
    response = post_json(
        client_for(ani), f"{API}/applications", NEW, HTTP_IDEMPOTENCY_KEY="with space"
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["error"]["fields"]


def test_a_retried_submit_returns_the_first_answer(ani, draft, client_for):
    client = client_for(ani)
    complete_draft(actor=ani, application=draft)
    url = f"{API}/applications/{draft.public_id}/submit"
    first = post_json(client, url, DECLARED, **KEY)
    second = post_json(client, url, DECLARED, **KEY)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    # without the key the second submit is a conflict
    assert post_json(client, url, DECLARED).status_code == 409


def test_a_failed_request_is_not_stored_and_may_be_retried(applicant, catalogue, client_for):
    client = client_for(applicant)
    assert post_json(client, f"{API}/applications", NEW, **KEY).status_code == 422
    assert not IdempotencyRecord.objects.exists()


def test_the_loser_of_a_concurrent_race_returns_the_winners_answer(ani, client_for, monkeypatch):
    # given the winner has stored its answer
    client = client_for(ani)
    winner = post_json(client, f"{API}/applications", NEW, **KEY)
    # when a concurrent twin did its look-up before the winner committed
    real_find = idempotency._find
    calls = {"n": 0}

    def find_missing_first(owner, key):
        calls["n"] += 1
        return None if calls["n"] == 1 else real_find(owner, key)

    monkeypatch.setattr(idempotency, "_find", find_missing_first)
    loser = post_json(client, f"{API}/applications", NEW, **KEY)
    # then the unique constraint stops it, its draft is rolled back and it
    # answers with the winner's response
    assert loser.status_code == 201
    assert loser.json() == winner.json()
    assert Application.objects.count() == 1


def test_the_loser_answers_409_when_the_winner_is_not_readable_yet(ani, client_for, monkeypatch):
    client = client_for(ani)
    post_json(client, f"{API}/applications", NEW, **KEY)
    monkeypatch.setattr(idempotency, "_find", lambda owner, key: None)
    response = post_json(client, f"{API}/applications", NEW, **KEY)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_in_progress"
    assert Application.objects.count() == 1


def test_records_older_than_24_hours_are_purged_and_the_key_is_free_again(ani, client_for):
    client = client_for(ani)
    post_json(client, f"{API}/applications", NEW, **KEY)
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert idempotency.purge_candidates().count() == 1
    # an expired key runs again
    assert post_json(client, f"{API}/applications", NEW, **KEY).status_code == 201
    assert Application.objects.count() == 2
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert idempotency.purge_expired() == 1
    assert not IdempotencyRecord.objects.exists()
