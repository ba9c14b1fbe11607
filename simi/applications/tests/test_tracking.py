"""Public tracking: initials only, check characters, 404, rate limit."""

from datetime import timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import translation

from simi.applications import selectors
from simi.applications.models import ApplicationEvent, EventNote, Status
from simi.applications.schemas import TrackingOut
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


def test_the_tracking_answer_is_the_documented_shape_in_the_reader_language(submitted, client):
    url = f"{API}/track/{trackingcodes.display(submitted.tracking_code)}"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    indonesian = client.get(url, HTTP_ACCEPT_LANGUAGE="id").json()
    # the body is what the OpenAPI document promises
    TrackingOut.model_validate(english)
    assert english["tracking_code"] == trackingcodes.display(submitted.tracking_code)
    # times are written as in every other answer of the API
    assert english["submitted_at"] == DjangoJSONEncoder().default(submitted.submitted_at)
    assert english["sla_due_date"] == submitted.sla_due_date.isoformat()
    # labels and the service name follow Accept-Language; codes stay the same
    assert english["service_name"] == submitted.service_type.name_en
    assert indonesian["service_name"] == submitted.service_type.name_id
    with translation.override("en"):
        assert english["status_label"] == str(Status.REGISTERED.label)
    with translation.override("id"):
        assert indonesian["status_label"] == str(Status.REGISTERED.label)
        assert indonesian["timeline"][-1]["note_label"] == str(EventNote.SUBMITTED.label)
    assert english["status_label"] != indonesian["status_label"]
    assert [step["status"] for step in english["timeline"]] == [
        step["status"] for step in indonesian["timeline"]
    ]


def test_the_timeline_is_in_time_order_with_every_step(submitted, client):
    # given a later step recorded with an earlier id than a step that happened after it
    first = submitted.events.order_by("at", "id").last()
    later = first.at + timedelta(hours=2)
    ApplicationEvent.objects.create(
        application=submitted, at=later + timedelta(hours=1), status_from="registered",
        status_to="interview", actor_role="front_desk", note=EventNote.VERIFIED,
    )  # fmt: skip
    ApplicationEvent.objects.create(
        application=submitted, at=later, status_from="registered", status_to="verifying",
        actor_role="front_desk", note=EventNote.VERIFICATION_STARTED,
    )  # fmt: skip
    body = client.get(f"{API}/track/{submitted.tracking_code}").json()
    # then the public timeline lists every step by the time it happened
    assert [step["status"] for step in body["timeline"]] == [
        "draft", "registered", "verifying", "interview",
    ]  # fmt: skip
    assert [step["note"] for step in body["timeline"]][-2:] == ["verification_started", "verified"]


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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_on_postgresql_tracking_is_prepared_once_and_reads_as_the_orm_does(submitted):
    for _ in range(3):
        view = selectors.application_track(submitted.tracking_code)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%tracking_code%"],
        )
        assert cursor.fetchone() == (1,)
    # server-side binding reads times in the same zone as Django's own cursors
    events = list(ApplicationEvent.objects.filter(application=submitted))
    assert [(step.at, step.status) for step in view.timeline] == [
        (event.at, event.status_to) for event in events
    ]
    assert view.submitted_at == submitted.submitted_at
    assert view.holder_initials == "A. R. P."
