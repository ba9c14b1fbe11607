"""Staff API: screening one person, the review queue, watchlists, the switch."""

from __future__ import annotations

import json

import pytest

from simi.audit.models import AuditEntry
from simi.oversight.register.services import foreigner_register
from simi.oversight.tests.conftest import passport_mrz
from simi.screening import flows
from simi.screening.models import DismissedPair, ReviewItem

from .conftest import BANNED, make_live

pytestmark = pytest.mark.django_db
API = "/api/v1/screening"
BODY = {
    "name": "Tesanoe Volaki",  # old spelling of the listed name
    "birth_date": "1990-03-14",
    "nationality": "AUS",
    "purpose": "Visa on arrival check at Liwa counter",
}


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_staff_screen_one_person_and_get_explained_candidates(
    admin_user, entry_ban, supervisor, client_for
):
    make_live(admin_user, entry_ban, BANNED)
    response = _post(client_for(supervisor), f"{API}/screen", BODY)
    assert response.status_code == 200
    best = response.json()["candidates"][0]
    assert best["external_id"] == "wl-1"
    assert best["score"] >= 0.95
    assert "birth date exact" in best["explanation"]
    assert {"factor": "birth date", "contribution": 0.12, "code": "exact"} in best["factors"]
    # audited with its purpose; the query itself is stored nowhere
    entry = AuditEntry.objects.get(action="screening.person_screened")
    assert entry.purpose == BODY["purpose"]
    assert entry.data["candidates"] >= 1
    assert "volaki" not in json.dumps(entry.data).lower()


@pytest.mark.parametrize("persona", ["applicant", "partner", "officer", "analyst", "auditor"])
def test_screening_is_refused_to_those_without_the_capability(request, persona, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert _post(client, f"{API}/screen", BODY).status_code == 403
    assert not AuditEntry.objects.filter(action="screening.person_screened").exists()


def test_screening_needs_the_second_factor_a_purpose_and_is_rate_limited(supervisor, client_for):
    assert _post(client_for(supervisor, mfa=False), f"{API}/screen", BODY).status_code == 403
    client = client_for(supervisor)
    refused = _post(client, f"{API}/screen", {**BODY, "purpose": "x"})
    assert refused.status_code == 422
    assert "purpose" in refused.json()["error"]["fields"]
    codes = [_post(client, f"{API}/screen", BODY).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30
    assert codes[30] == 429


def test_the_review_queue_and_a_dismissal_through_the_api(
    admin_user, entry_ban, oversight, supervisor, outsider, client_for
):
    make_live(admin_user, entry_ban, BANNED)
    foreigner = foreigner_register(actor=oversight, mrz_text=passport_mrz())
    flows.screen_subject(subject_type="foreigner", subject_id=foreigner.pk)
    client = client_for(supervisor)
    listed = client.get(f"{API}/reviews").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["subject_type"] == "foreigner"
    assert item["hits"][0]["list_kind"] == "entry_ban"
    # another office sees nothing of it
    assert client_for(outsider).get(f"{API}/reviews").json()["count"] == 0
    assert client_for(outsider).get(f"{API}/reviews/{item['id']}").status_code == 404
    # a decision needs a reason
    url = f"{API}/reviews/{item['id']}/decision"
    assert _post(client, url, {"decision": "dismiss", "reason": ""}).status_code == 422
    done = _post(client, url, {"decision": "dismiss", "reason": "Different person, photo checked"})
    assert done.status_code == 200
    assert done.json()["status"] == "dismissed"
    assert DismissedPair.objects.count() == 1
    assert (
        _post(client, url, {"decision": "confirm", "reason": "Changed my mind now"}).status_code
        == 409
    )
    assert ReviewItem.objects.get().status == "dismissed"


def test_watchlist_import_publish_and_switch_through_the_api(admin_user, entry_ban, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(admin_user)
    response = client.post(
        f"{API}/watchlists/{entry_ban.code}/imports",
        {"file": SimpleUploadedFile("list.csv", BANNED, content_type="text/csv")},
    )
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert client.post(f"{API}/watchlists/{entry_ban.code}/publish").status_code == 409
    state = client.put(
        f"{API}/control",
        json.dumps({"automatic_enabled": False, "reason": "Stopped for the quarterly audit"}),
        content_type="application/json",
    )
    assert state.status_code == 200
    assert state.json()["automatic_enabled"] is False


def test_a_watchlist_file_over_the_document_limit_arrives_whole(admin_user, entry_ban, client_for):
    # given a 6 MB watchlist file: over the 5 MB a document may be, under the 50 MB of imports
    from django.core.files.uploadedfile import SimpleUploadedFile

    from simi.screening.models import WatchlistImport
    from simi.screening.tests.conftest import simi_csv

    rows = [
        f"X{n:07d},Synthetic Person {n},,1980-01-01,MYS,,entry_ban,Synthetic" for n in range(90_000)
    ]
    raw = simi_csv(*rows)
    assert len(raw) > 6_000_000
    # when the administrator uploads it through the API
    response = client_for(admin_user).post(
        f"{API}/watchlists/{entry_ban.code}/imports",
        {"file": SimpleUploadedFile("list.csv", raw, content_type="text/csv")},
    )
    # then every byte reached the import (uploads wait in memory, never cut short)
    assert response.status_code == 202, response.content
    assert WatchlistImport.objects.get().size_bytes == len(raw)
