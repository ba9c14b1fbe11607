"""Who reaches the data protection team's pages and API: handlers only."""

import pytest

from simi.accounts.services import api_token_create

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/kantor/data-pribadi/",
    "/kantor/data-pribadi/insiden/",
    "/kantor/data-pribadi/insiden/baru/",
]
STAFF_API = ["/api/v1/privacy/queue", "/api/v1/privacy/incidents"]


@pytest.mark.parametrize("persona", ["applicant", "officer", "supervisor", "auditor"])
def test_non_handlers_get_403_on_staff_pages_and_api(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    for url in STAFF_PAGES + STAFF_API:
        assert client.get(url).status_code == 403, url


def test_admins_reach_staff_pages_and_api(client_for, admin_user):
    client = client_for(admin_user)
    for url in STAFF_PAGES + STAFF_API:
        assert client.get(url).status_code == 200, url


def test_staff_must_pass_the_second_factor_first(client_for, admin_user):
    client = client_for(admin_user, mfa=False)
    assert client.get("/kantor/data-pribadi/").status_code == 302
    assert client.get("/api/v1/privacy/queue").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/kantor/data-pribadi/").status_code == 302
    assert client.get("/akun/data-pribadi/").status_code == 302
    assert client.get("/api/v1/privacy/requests").status_code == 401


def test_a_token_without_the_privacy_scope_cannot_use_the_staff_api(client, admin_user):
    _row, token = api_token_create(actor=admin_user, name="baca", scopes=["profile"], days=1)
    response = client.get("/api/v1/privacy/queue", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "scope_missing"
    _row, token = api_token_create(actor=admin_user, name="dpo", scopes=["privacy:handle"], days=1)
    response = client.get("/api/v1/privacy/queue", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


def test_every_signed_in_user_has_their_own_data_page(client_for, applicant, officer):
    assert client_for(applicant).get("/akun/data-pribadi/").status_code == 200
    assert client_for(officer).get("/akun/data-pribadi/").status_code == 200
