"""Staff second factor: enrolment, verification, replay, lockout, timeouts."""

import time

import pytest

from simi.accounts.mfa import (
    SESSION_AUTH_AT,
    SESSION_SEEN_AT,
    SESSION_VERIFIED_AT,
    code_at,
    current_step,
    new_secret,
)
from simi.accounts.models import ApiToken, TotpDevice
from simi.accounts.tests.factories import PASSWORD
from simi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/kantor/", "/kantor/staf/", "/akun/token-api/", "/admin/"]
STAFF_API = [("get", "/api/v1/staff"), ("post", "/api/v1/people/lookup"), ("get", "/api/v1/me")]


def _enrol(user) -> TotpDevice:
    from django.utils import timezone

    return TotpDevice.objects.create(user=user, secret=new_secret(), confirmed_at=timezone.now())


def _now_code(device: TotpDevice, offset: int = 0) -> str:
    return code_at(device.secret, current_step() + offset)


@pytest.mark.parametrize(
    "persona", ["officer", "supervisor", "oversight", "analyst", "admin_user", "auditor"]
)
def test_staff_without_a_second_factor_reach_no_staff_page_or_api(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona), mfa=False)
    for path in STAFF_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/akun/mfa/"), path
    for method, path in STAFF_API:
        response = getattr(client, method)(path, content_type="application/json")
        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "mfa_required"


def test_applicants_never_need_a_second_factor(client_for, applicant):
    assert client_for(applicant, mfa=False).get("/akun/").status_code == 200


def test_an_officer_enrols_and_reaches_the_back_office(client_for, officer):
    client = client_for(officer, mfa=False)
    page = client.get("/akun/mfa/?next=/kantor/staf/")
    assert page.status_code == 200
    assert "data:image/svg+xml" in page.content.decode()
    device = TotpDevice.objects.get(user=officer)
    wrong = client.post("/akun/mfa/", {"code": "000000", "next": "/kantor/staf/"})
    assert wrong.status_code == 422
    assert "Kode tidak benar." in wrong.content.decode()
    right = client.post("/akun/mfa/", {"code": _now_code(device), "next": "/kantor/staf/"})
    assert right.status_code == 302
    assert right["Location"] == "/kantor/staf/"
    assert client.get("/kantor/staf/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.mfa_enrolled").count() == 1


def test_a_code_works_once(client_for, officer):
    device = _enrol(officer)
    code = _now_code(device)
    first = client_for(officer, mfa=False).post("/akun/mfa/verifikasi/", {"code": code})
    assert first.status_code == 302
    replay = client_for(officer, mfa=False).post("/akun/mfa/verifikasi/", {"code": code})
    assert replay.status_code == 422


def test_five_wrong_codes_lock_the_authenticator(client_for, officer):
    device = _enrol(officer)
    client = client_for(officer, mfa=False)
    for _ in range(5):
        assert client.post("/akun/mfa/verifikasi/", {"code": "123456"}).status_code == 422
    locked = client.post("/akun/mfa/verifikasi/", {"code": _now_code(device)})
    assert locked.status_code == 429
    assert AuditEntry.objects.filter(action="accounts.mfa_failed").count() == 5


def test_an_offsite_next_is_ignored(client_for, officer):
    device = _enrol(officer)
    response = client_for(officer, mfa=False).post(
        "/akun/mfa/verifikasi/", {"code": _now_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/akun/"


def test_staff_api_tokens_need_a_fresh_code(client, officer):
    device = _enrol(officer)
    body = {
        "email": officer.email,
        "password": PASSWORD,
        "name": "Tablet loket",
        "scopes": ["staff:read"],
    }
    without = client.post("/api/v1/auth/tokens", body, content_type="application/json")
    assert without.status_code == 422
    # the error names the field the client sends the code in
    assert list(without.json()["error"]["fields"]) == ["otp"]
    with_code = client.post(
        "/api/v1/auth/tokens", {**body, "otp": _now_code(device)}, content_type="application/json"
    )
    assert with_code.status_code == 201
    assert ApiToken.objects.filter(user=officer).count() == 1


def test_it_names_the_otp_field_when_a_staff_token_code_is_wrong_or_unset(client, officer):
    # given a staff member without an authenticator yet
    body = {"email": officer.email, "password": PASSWORD, "name": "Tablet", "otp": "000000"}
    # when it asks for a token, then the error points at the request's `otp`
    unset = client.post("/api/v1/auth/tokens", body, content_type="application/json")
    assert unset.status_code == 422
    assert unset.json()["error"]["code"] == "mfa_not_enrolled"
    assert list(unset.json()["error"]["fields"]) == ["otp"]
    # given the authenticator set up, when the code sent is wrong
    device = _enrol(officer)
    wrong = f"{(int(_now_code(device)) + 1) % 1_000_000:06d}"
    answer = client.post(
        "/api/v1/auth/tokens", {**body, "otp": wrong}, content_type="application/json"
    )
    # then the error again names `otp`, never a `code` the request does not have
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "mfa_wrong_code"
    assert list(answer.json()["error"]["fields"]) == ["otp"]
    assert not ApiToken.objects.filter(user=officer).exists()


def test_an_idle_staff_session_ends(client_for, officer):
    client = client_for(officer)
    assert client.get("/kantor/").status_code == 200
    session = client.session
    session[SESSION_SEEN_AT] = int(time.time()) - 16 * 60
    session.save()
    response = client.get("/kantor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")
    assert "_auth_user_id" not in client.session


def test_a_staff_session_ends_after_eight_hours_even_when_busy(client_for, officer):
    client = client_for(officer)
    client.get("/kantor/")
    session = client.session
    now = int(time.time())
    session[SESSION_AUTH_AT] = now - 8 * 3600 - 60  # signed in just over 8 hours ago
    session[SESSION_SEEN_AT] = now  # and active a moment ago
    session.save()
    response = client.get("/api/v1/staff")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_expired"


def test_issuing_a_token_asks_for_a_fresh_code(client_for, officer):
    _enrol(officer)
    client = client_for(officer)
    session = client.session
    session[SESSION_VERIFIED_AT] = int(time.time()) - 10 * 60
    session.save()
    response = client.post("/akun/token-api/", {"name": "x", "days": 1, "scopes": ["profile"]})
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/mfa/verifikasi/")
    assert not ApiToken.objects.exists()
