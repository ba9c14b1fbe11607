import json
import logging

import pytest
from django.test import RequestFactory

from simi.core.codes import CommonCode
from simi.core.errors import Conflict, ValidationFailed
from simi.core.logs import JsonFormatter, RequestIdFilter
from simi.core.views import server_error

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    response = client.get("/")
    assert len(response["X-Request-ID"]) == 16


def test_a_safe_upstream_request_id_is_kept_and_a_hostile_one_replaced(client):
    assert client.get("/", HTTP_X_REQUEST_ID="lb-1234abcd")["X-Request-ID"] == "lb-1234abcd"
    replaced = client.get("/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")["X-Request-ID"]
    assert "<" not in replaced


def test_the_404_page_is_friendly_localized_and_shows_the_reference(client):
    response = client.get("/tidak-ada/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Laman tidak ditemukan" in body
    assert response["X-Request-ID"] in body
    client.cookies["django_language"] = "en"
    assert "Page not found" in client.get("/tidak-ada/").content.decode()


def test_the_500_page_shows_a_reference_and_no_traceback():
    request = RequestFactory().get("/")
    request.request_id = "abc123def456"
    response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "abc123def456" in body
    assert "Traceback" not in body


def test_api_errors_are_json_with_the_same_reference(client):
    response = client.get("/api/v1/tidak-ada")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["reference"] == response["X-Request-ID"]


def test_api_validation_errors_name_the_field_in_the_callers_language(client):
    response = client.post(
        "/api/v1/auth/tokens",
        {"email": "a@b.test"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert fields["password"] == ["Bidang ini tidak boleh kosong."]
    english = client.post(
        "/api/v1/auth/tokens",
        {"email": "a@b.test"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["error"]["fields"]["password"] == ["This field is required."]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"[]", "application/json"),
        (
            json.dumps({"email": "a" * 10_000, "password": "x", "name": "y"}).encode(),
            "application/json",
        ),
        (b"email=a", "application/x-www-form-urlencoded"),
    ],
)
def test_malformed_api_bodies_get_a_4xx_never_a_500(client, body, content_type):
    response = client.post("/api/v1/auth/tokens", body, content_type=content_type)
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_log_lines_are_json_with_the_request_id_and_no_query_string(client, caplog):
    caplog.set_level(logging.INFO, logger="simi.access")
    response = client.get("/?nik=1804041708850001")
    record = next(r for r in caplog.records if r.name == "simi.access")
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/"
    assert line["status"] == 200
    assert "1804041708850001" not in json.dumps(line)
    assert line["request_id"] in {response["X-Request-ID"], "-"}


def test_django_request_objects_never_reach_the_log():
    record = logging.makeLogRecord(
        {"msg": "boom", "request": "<WSGIRequest: GET '/?nik=1804041708850001'>"}
    )
    assert "1804041708850001" not in JsonFormatter().format(record)


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("get", "/api/v1/regions?parent_code=18%00", None, None),
        (
            "post",
            "/api/v1/auth/tokens",
            '{"email": "a\\u0000@b.test", "password": "x", "name": "y"}',
            "application/json",
        ),
        (
            "post",
            "/akun/daftar/",
            "full_name=Ani%00&email=a%40b.test",
            "application/x-www-form-urlencoded",
        ),
        ("get", "/layanan/?office=%00", None, None),
    ],
)
def test_nul_characters_are_refused_with_a_400_not_a_500(client, method, path, body, content_type):
    if method == "get":
        response = client.get(path)
    else:
        response = client.generic(method.upper(), path, body or "", content_type=content_type)
    assert response.status_code == 400


def test_an_error_takes_a_code_only_from_a_vocabulary():
    # when an error is raised with a member, and untyped code passes plain strings
    taken = Conflict(code=CommonCode.NOT_A_DRAFT)
    with pytest.raises(TypeError, match=r"codes\.Code"):
        Conflict(code="not_a_draft")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"codes\.Code"):
        ValidationFailed.for_field("kind", "Choose one.", code="kind_invalid")  # type: ignore[arg-type]
    # then the member is the code the client reads
    assert taken.as_dict()["code"] == "not_a_draft"
