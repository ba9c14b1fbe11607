from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from freezegun import freeze_time

from simi.accounts.models import ApiToken
from simi.accounts.services import api_token_create
from simi.accounts.tests.factories import PASSWORD
from simi.api import api
from simi.core.credentials import PAIR

pytestmark = pytest.mark.django_db


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _issue(client, user, **extra):
    body = {"email": user.email, "password": PASSWORD, "name": "Ponsel Android", **extra}
    return client.post("/api/v1/auth/tokens", body, content_type="application/json")


def test_an_applicant_gets_a_token_and_uses_it(client, applicant):
    response = _issue(client, applicant)
    assert response.status_code == 201
    token = response.json()["token"]
    me = client.get("/api/v1/me", **_bearer(token))
    assert me.status_code == 200
    assert me.json()["email"] == applicant.email


def test_the_secret_is_stored_only_as_a_digest(client, applicant):
    token = _issue(client, applicant).json()["token"]
    row = ApiToken.objects.get()
    secret = token.split("_", 2)[2]
    assert secret not in row.digest
    assert token not in str(ApiToken.objects.values_list().get())


def test_wrong_password_or_unverified_email_gets_no_token(client, applicant):
    bad = client.post(
        "/api/v1/auth/tokens",
        {"email": applicant.email, "password": "wrong-password!", "name": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "login_failed"
    applicant.email_verified_at = None
    applicant.save()
    unverified = _issue(client, applicant)
    assert unverified.status_code == 401
    assert unverified.json()["error"]["code"] == "email_unverified"
    assert not ApiToken.objects.exists()


def test_an_expired_token_stops_working(client, applicant):
    _row, token = api_token_create(actor=applicant, name="pendek", scopes=["profile"], days=1)
    assert client.get("/api/v1/me", **_bearer(token)).status_code == 200
    with freeze_time(timezone.now() + timedelta(days=1, seconds=1)):
        response = client.get("/api/v1/me", **_bearer(token))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_revoked_token_stops_working_at_once(client, applicant):
    row, token = api_token_create(actor=applicant, name="lama", scopes=["profile"], days=30)
    revoke = client.delete(f"/api/v1/auth/tokens/{row.public_id}", **_bearer(token))
    assert revoke.status_code == 204
    assert client.get("/api/v1/me", **_bearer(token)).status_code == 401


def test_nobody_can_revoke_someone_elses_token(client, applicant, other_applicant):
    theirs, _ = api_token_create(
        actor=other_applicant, name="milik budi", scopes=["profile"], days=30
    )
    _mine, token = api_token_create(actor=applicant, name="milik ani", scopes=["profile"], days=30)
    response = client.delete(f"/api/v1/auth/tokens/{theirs.public_id}", **_bearer(token))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_token_is_limited_to_its_scopes(client, supervisor):
    _row, profile_only = api_token_create(
        actor=supervisor, name="profil", scopes=["profile"], days=30
    )
    response = client.get("/api/v1/staff", **_bearer(profile_only))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "scope_missing"
    _row, staff_token = api_token_create(
        actor=supervisor, name="staf", scopes=["profile", "staff:read"], days=30
    )
    assert client.get("/api/v1/staff", **_bearer(staff_token)).status_code == 200


def test_an_applicant_cannot_ask_for_a_staff_scope(client, applicant):
    response = _issue(client, applicant, scopes=["staff:read"])
    assert response.status_code == 422
    assert "staff:read" in response.json()["error"]["fields"]["scopes"][0]


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Bearer ", 401),
        ("Bearer simi_nothing", 401),
        ("Bearer simi_deadbeef_notthesecret", 401),
        ("Bearer " + "x" * 5000, 401),
        ("Basic dXNlcjpwYXNz", 401),
    ],
)
def test_garbage_credentials_get_a_clean_401(client, applicant, header, code):
    api_token_create(actor=applicant, name="asli", scopes=["profile"], days=30)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == code
    assert response.json()["error"]["code"] == "not_authenticated"


def test_it_documents_and_enforces_the_servers_token_lifetime(client, applicant):
    # given the server's limit on a token's life
    limit = settings.SIMI_API_TOKEN_MAX_DAYS
    # then the published document states that limit, not a larger one
    days = api.get_openapi_schema()["components"]["schemas"]["TokenCreateIn"]["properties"]["days"]
    assert days["maximum"] == limit
    assert str(limit) in days["description"]
    # when a client asks for one day more, then the error names the field it sent
    response = _issue(client, applicant, days=limit + 1)
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["days"]
    assert not ApiToken.objects.exists()
    # when it asks for exactly the limit, then it gets a token that lives that long
    response = _issue(client, applicant, days=limit)
    assert response.status_code == 201
    lives = ApiToken.objects.get().expires_at - timezone.now()
    assert timedelta(days=limit) - timedelta(minutes=1) < lives <= timedelta(days=limit)


def test_token_requests_are_delayed_after_a_few_wrong_passwords(client, applicant):
    responses = [
        client.post(
            "/api/v1/auth/tokens",
            {"email": applicant.email, "password": "wrong-password!", "name": "x"},
            content_type="application/json",
            REMOTE_ADDR="10.9.8.7",
        )
        for _ in range(PAIR.free + 1)
    ]
    assert [r.status_code for r in responses[:-1]] == [401] * PAIR.free
    assert responses[-1].status_code == 429
    assert responses[-1].json()["error"]["code"] == "sign_in_delayed"
    assert responses[-1]["Retry-After"] == "1"


def test_tokens_page_creates_shows_once_and_revokes(client_for, applicant):
    client = client_for(applicant)
    created = client.post("/akun/token-api/", {"name": "Laptop", "days": 7, "scopes": ["profile"]})
    assert created.status_code == 200
    assert "simi_" in created.content.decode()
    row = ApiToken.objects.get(user=applicant)
    again = client.get("/akun/token-api/")
    assert row.digest not in again.content.decode()
    client.post(f"/akun/token-api/{row.public_id}/cabut/")
    row.refresh_from_db()
    assert row.revoked_at is not None


def test_tokens_page_rejects_bad_input_field_by_field(client_for, applicant):
    response = client_for(applicant).post("/akun/token-api/", {"name": "", "days": 0})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Bidang ini tidak boleh kosong." in body
    assert not ApiToken.objects.exists()
