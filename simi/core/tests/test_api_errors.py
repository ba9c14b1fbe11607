"""Requests the API cannot read or will not take still get the error envelope:
a multipart body without a boundary, a wrong method, broken JSON, a bad bearer
token. The sweeps read the operations from the OpenAPI document, so a new
endpoint is covered the day it is added."""

from __future__ import annotations

import re
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from simi.accounts.mfa import SESSION_VERIFIED_AT
from simi.accounts.models import ApiToken
from simi.accounts.services import api_token_create
from simi.api import api

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
SCHEMA = api.get_openapi_schema()


def _sample(parameter: dict[str, Any]) -> str:
    schema = parameter.get("schema", {})
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    if schema.get("type") == "integer":
        return "1"
    return "contoh"


def _concrete(path: str, operation: dict[str, Any]) -> str:
    samples = {p["name"]: _sample(p) for p in operation.get("parameters", []) if p["in"] == "path"}
    return re.sub(r"{(\w+)}", lambda m: samples.get(m.group(1), "contoh"), path)


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in SCHEMA["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


MULTIPART = [
    (method, path, op)
    for method, path, op in operations()
    if "multipart/form-data" in op.get("requestBody", {}).get("content", {})
]
PATHS = sorted({path for _method, path, _op in operations()})


def assert_envelope(response: Any, status: int | None = None, code: str | None = None) -> dict:
    body = response.content.decode()
    assert "Traceback" not in body
    assert 'File "' not in body
    if status is not None:
        assert response.status_code == status, body
    assert 400 <= response.status_code < 500, body
    error = response.json()["error"]
    assert error["message"]
    assert error["reference"] == response["X-Request-ID"]
    if code is not None:
        assert error["code"] == code, error
    return error


def signed_in(user: Any, *, enforce_csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    session = client.session
    session[SESSION_VERIFIED_AT] = int(time.time())
    session.save()
    if enforce_csrf:  # what a browser page sends: the cookie and the header
        client.cookies["csrftoken"] = "c" * 32
        client.defaults["HTTP_X_CSRFTOKEN"] = "c" * 32
    return client


# --- multipart: every upload endpoint (finding 7) ---------------------------

BASE64_PART = (
    b"--b0undary\r\n"
    b'Content-Disposition: form-data; name="file"; filename="scan.pdf"\r\n'
    b"Content-Type: application/pdf\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\n"
    b"%%% not base64 %%%\r\n"
    b"--b0undary--\r\n"
)
HUGE_HEADER_PART = (
    b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="'
    + b"a" * 20_000
    + b'"\r\n\r\nx\r\n--b0undary--\r\n'
)
BROKEN_BODIES = {
    "no boundary": ("multipart/form-data", b"--x\r\nfile\r\n"),
    "a boundary that is not one": ("multipart/form-data; boundary=\x7f\x00", b"x"),
    "a part that does not decode": ("multipart/form-data; boundary=b0undary", BASE64_PART),
    "part headers past the limit": ("multipart/form-data; boundary=b0undary", HUGE_HEADER_PART),
}


def test_the_sweep_finds_every_upload_endpoint():
    found = {path for _method, path, _op in MULTIPART}
    assert {
        "/api/v1/applications/{application_id}/documents",
        "/api/v1/enforcement/cases/{case_id}/evidence",
        "/api/v1/lodging/imports",
        "/api/v1/oversight/sightings",
        "/api/v1/payments/reconciliations",
        "/api/v1/screening/watchlists/{code}/imports",
    } <= found


@pytest.mark.parametrize("browser", [False, True], ids=["test client", "browser with CSRF"])
@pytest.mark.parametrize("broken", BROKEN_BODIES)
@pytest.mark.parametrize(("method", "path", "operation"), MULTIPART, ids=lambda v: str(v)[:60])
def test_every_upload_endpoint_answers_a_body_it_cannot_read_with_a_400(
    method, path, operation, broken, browser, admin_user
):
    # given a signed-in administrator (past MFA) and, for the browser, a valid
    # CSRF token: Django's CSRF check itself reads the form first
    client = signed_in(admin_user, enforce_csrf=browser)
    content_type, body = BROKEN_BODIES[broken]
    # when the multipart body cannot be parsed
    response = client.generic(
        method.upper(), _concrete(path, operation), body, content_type=content_type
    )
    # then the answer is a 400 in the envelope, never a 500
    assert_envelope(response, 400, "malformed_request")


@pytest.mark.parametrize(("method", "path", "operation"), MULTIPART, ids=lambda v: str(v)[:60])
def test_every_upload_endpoint_answers_a_cut_off_body_with_a_4xx(
    method, path, operation, admin_user
):
    # given a well-formed start whose end never came
    body = (
        b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-'
    )
    response = signed_in(admin_user).generic(
        method.upper(),
        _concrete(path, operation),
        body,
        content_type="multipart/form-data; boundary=b0undary",
    )
    # then it is refused with the envelope (missing fields, or not found)
    assert_envelope(response)


def test_a_body_without_boundary_from_someone_not_signed_in_is_401(client):
    response = client.generic(
        "POST", "/api/v1/lodging/imports", b"x", content_type="multipart/form-data"
    )
    assert_envelope(response, 401, "not_authenticated")


@pytest.mark.parametrize(
    ("url", "persona"),
    [("/akun/masuk/", None), ("/akun/daftar/", None), ("/kantor/", "admin_user")],
)
@pytest.mark.parametrize("broken", BROKEN_BODIES)
def test_pages_answer_a_form_they_cannot_read_with_the_400_page(request, url, persona, broken):
    # given a browser, signed in or not, that enforces CSRF like a real one
    client = (
        signed_in(request.getfixturevalue(persona), enforce_csrf=True)
        if persona
        else Client(enforce_csrf_checks=True)
    )
    content_type, body = BROKEN_BODIES[broken]
    # when it posts a multipart form that cannot be parsed
    response = client.generic("POST", url, body, content_type=content_type)
    # then the friendly 400 page answers, with the reference and no traceback
    assert response.status_code == 400
    page = response.content.decode()
    assert response["X-Request-ID"] in page
    assert "Traceback" not in page


# --- wrong methods (finding 8) ----------------------------------------------


@pytest.mark.parametrize("path", PATHS)
def test_every_api_path_answers_a_wrong_method_with_405_the_envelope_and_allow(client, path):
    # given a path and the methods its operations take
    item = SCHEMA["paths"][path]
    allowed = {method.upper() for method in item if method in METHODS}
    wrong = next(m for m in ("PATCH", "PUT", "DELETE", "POST", "GET") if m not in allowed)
    url = _concrete(path, next(op for m, op in item.items() if m in METHODS))
    # when it is called with another method
    response = client.generic(wrong, url)
    # then the answer is a 405 in the envelope, naming the methods it takes
    assert_envelope(response, 405, "method_not_allowed")
    assert set(response["Allow"].split(", ")) == allowed
    assert response["Content-Type"].startswith("application/json")


def test_the_405_message_is_in_the_callers_language(client):
    english = client.put("/api/v1/offices", HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    indonesian = client.put("/api/v1/offices", HTTP_ACCEPT_LANGUAGE="id").json()["error"]
    assert english["message"] == "This address accepts only GET."
    assert indonesian["message"] != english["message"]


# --- malformed JSON ---------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b"{bad json", b'{"email": "ani\xe9@b.test"}', b'{"email": "a@b.test",', b"\xc3\x28"],
    ids=["not JSON", "Latin-1, not UTF-8", "cut off", "invalid UTF-8 sequence"],
)
def test_a_body_that_is_not_json_is_400_malformed_request(client, body):
    response = client.post(
        "/api/v1/auth/tokens", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    error = assert_envelope(response, 400, "malformed_request")
    assert error["message"] == "The request body is not valid JSON."


@pytest.mark.parametrize("body", [b"[]", b"[1, 2]", b'"text"', b"42", b"null"])
def test_json_that_is_not_an_object_is_422_with_the_fields_it_lacks(client, body):
    response = client.post("/api/v1/auth/tokens", body, content_type="application/json")
    error = assert_envelope(response, 422, "validation_failed")
    assert "email" in error["fields"]


def test_a_signed_in_request_with_broken_json_is_400_too(client_for, applicant):
    response = client_for(applicant).post(
        "/api/v1/privacy/requests", b"{", content_type="application/json"
    )
    assert_envelope(response, 400, "malformed_request")


# --- bearer tokens (finding 8) ----------------------------------------------


@pytest.fixture
def tokens(applicant):
    _row, good = api_token_create(actor=applicant, name="ponsel", scopes=["profile"], days=5)
    expired_row, expired = api_token_create(
        actor=applicant, name="lama", scopes=["profile"], days=1
    )
    ApiToken.objects.filter(pk=expired_row.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    revoked_row, revoked = api_token_create(
        actor=applicant, name="dicabut", scopes=["profile"], days=5
    )
    ApiToken.objects.filter(pk=revoked_row.pk).update(revoked_at=timezone.now())
    prefix = good.split("_")[1]
    return {
        "good": good,
        "wrong secret": f"simi_{prefix}_{'x' * 43}",
        "not ours": "eyJhbGciOiJIUzI1NiJ9.e30.x",
        "expired": expired,
        "revoked": revoked,
        "token_id": str(revoked_row.public_id),
    }


BAD_TOKENS = ["wrong secret", "not ours", "expired", "revoked"]


@pytest.mark.parametrize("kind", BAD_TOKENS)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/me"),
        ("post", "/api/v1/privacy/requests"),
        ("delete", "/api/v1/auth/tokens/{token_id}"),
        ("post", "/api/v1/lodging/imports"),
    ],
)
def test_an_invalid_bearer_token_is_401_with_a_bearer_challenge(tokens, kind, method, path):
    # given a client that enforces CSRF (as the outside prober's did)
    client = Client(enforce_csrf_checks=True)
    # when it presents a token that is wrong, foreign, expired or revoked
    response = client.generic(
        method.upper(),
        path.format(token_id=tokens["token_id"]),
        b"{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {tokens[kind]}",
    )
    # then it is told to authenticate, not that it is forbidden
    assert_envelope(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_no_credentials_at_all_is_401_with_a_plain_challenge():
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/privacy/requests", b"{}", content_type="application/json"
    )
    assert_envelope(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_bad_token_is_not_rescued_by_a_session(tokens, applicant, client_for):
    # the client said which credential it means; a stale token must fail loudly
    response = client_for(applicant).get(
        "/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {tokens['revoked']}"
    )
    assert_envelope(response, 401, "not_authenticated")


def test_a_good_token_still_works_without_csrf(tokens):
    response = Client(enforce_csrf_checks=True).get(
        "/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {tokens['good']}"
    )
    assert response.status_code == 200


# --- CSRF for the session stays as it was -----------------------------------


def test_a_session_post_without_the_csrf_token_is_still_refused(applicant):
    # given a signed-in browser that does not send the CSRF token
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    # when a page of another site makes it post
    response = client.post(
        "/api/v1/privacy/requests", {"kind": "access"}, content_type="application/json"
    )
    # then the API refuses it
    assert_envelope(response, 403, "csrf_failed")


def test_a_session_post_with_the_csrf_token_goes_through(applicant):
    client = signed_in(applicant, enforce_csrf=True)
    response = client.post(
        "/api/v1/privacy/requests",
        {"kind": "access", "details": "Saya ingin salinan data saya."},
        content_type="application/json",
    )
    assert response.status_code in {200, 201}, response.content


def test_a_session_delete_without_the_csrf_token_is_refused(tokens, applicant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    response = client.delete(f"/api/v1/auth/tokens/{tokens['token_id']}")
    assert_envelope(response, 403, "csrf_failed")


def test_safe_methods_need_no_csrf_token(applicant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    assert client.get("/api/v1/me").status_code == 200
