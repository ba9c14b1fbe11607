"""Requests the API cannot read still get the error envelope: a multipart
body without a boundary or with a part that does not decode. The sweep reads
the operations from the OpenAPI document, so a new endpoint is covered the
day it is added."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest
from django.test import Client

from simi.accounts.mfa import SESSION_VERIFIED_AT
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
