"""Public tracking: initials only, check characters, 404, rate limit."""

import pytest

from simi.applications.selectors import TRACK_LIMIT, initials
from simi.applications.tests.conftest import ANI_NAME, ANI_NIK, API
from simi.core import trackingcodes

pytestmark = pytest.mark.django_db


def _mistype(code: str) -> str:
    first = trackingcodes.ALPHABET[(trackingcodes.ALPHABET.index(code[0]) + 1) % 32]
    return first + code[1:]


def test_initials_are_the_first_letters_of_the_name_words():
    assert initials("Ani Rahmawati Putri") == "A. R. P."
    assert initials("  budi  ") == "B."


def test_tracking_shows_the_timeline_and_initials_only(submitted, client):
    # when anyone tracks the code without signing in
    response = client.get(f"{API}/track/{trackingcodes.display(submitted.tracking_code)}")
    # then the status, service, office and timeline show, and only initials
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "registered"
    assert body["holder_initials"] == "A. R. P."
    assert [step["status"] for step in body["timeline"]] == ["draft", "registered"]
    text = response.content.decode()
    assert ANI_NAME not in text
    assert "Rahmawati" not in text
    assert ANI_NIK not in text
    assert "ani@example.test" not in text


def test_a_lowercase_code_without_dashes_is_found(submitted, client):
    assert client.get(f"{API}/track/{submitted.tracking_code.lower()}").status_code == 200


def test_a_mistyped_code_is_refused_with_the_check_message(submitted, client):
    response = client.get(
        f"{API}/track/{_mistype(submitted.tracking_code)}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "tracking_code_check"
    assert "typing mistake" in response.json()["error"]["fields"]["tracking_code"][0]


def test_an_unknown_code_answers_404(db, client):
    assert client.get(f"{API}/track/{trackingcodes.generate()}").status_code == 404


def test_a_draft_cannot_be_tracked(draft, client):
    assert draft.tracking_code is None


def test_tracking_is_rate_limited_per_address(db, client):
    code = trackingcodes.generate()
    statuses = [client.get(f"{API}/track/{code}").status_code for _ in range(TRACK_LIMIT + 1)]
    assert statuses[:TRACK_LIMIT] == [404] * TRACK_LIMIT
    assert statuses[-1] == 429
    # another address is not throttled
    assert client.get(f"{API}/track/{code}", REMOTE_ADDR="10.2.3.4").status_code == 404


def test_the_tracking_page_shows_initials_in_both_languages(submitted, client):
    for language, word in [("en", "Holder"), ("id", "Pemilik")]:
        client.cookies["django_language"] = language
        response = client.get("/permohonan/lacak/", {"code": submitted.tracking_code})
        assert response.status_code == 200
        text = response.content.decode()
        assert "A. R. P." in text
        assert ANI_NAME not in text
        assert ANI_NIK not in text
        if word:
            assert word in text


def test_the_tracking_page_explains_a_typing_mistake(submitted, client):
    client.cookies["django_language"] = "en"
    response = client.get("/permohonan/lacak/", {"code": _mistype(submitted.tracking_code)})
    assert response.status_code == 422
    assert "typing mistake" in response.content.decode()


def test_the_tracking_page_is_rate_limited(db, client):
    code = trackingcodes.generate()
    for _ in range(TRACK_LIMIT):
        client.get("/permohonan/lacak/", {"code": code})
    assert client.get("/permohonan/lacak/", {"code": code}).status_code == 429
