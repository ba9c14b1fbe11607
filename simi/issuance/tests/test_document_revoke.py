"""Revocation: only the issuing office's supervisor, with a reason, after a fresh code."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from simi.accounts.mfa import SESSION_VERIFIED_AT, code_at, current_step, new_secret
from simi.accounts.models import ApiToken, TotpDevice
from simi.accounts.services import _digest
from simi.audit.models import AuditEntry
from simi.core.errors import Conflict, PermissionDenied, ValidationFailed
from simi.issuance.models import IssuedDocument
from simi.issuance.services import document_revoke

pytestmark = pytest.mark.django_db

REASON = "Paspor dilaporkan hilang oleh pemegang"


# --- the service -------------------------------------------------------------


def test_the_issuing_offices_supervisor_revokes_with_a_reason(issue, supervisor):
    document = issue()
    document_revoke(actor=supervisor, document=document, reason=REASON)
    document.refresh_from_db()
    assert document.status == "revoked"
    assert (document.revoked_by, document.revocation_reason) == (supervisor, REASON)
    entry = AuditEntry.objects.get(action="issuance.document_revoked")
    assert entry.object_id == str(document.public_id)
    assert REASON not in str(entry.data)


@pytest.mark.parametrize("persona", ["officer", "oversight", "admin_user", "outsider", "auditor"])
def test_anyone_else_is_refused(request, issue, persona):
    document = issue()
    with pytest.raises(PermissionDenied):
        document_revoke(actor=request.getfixturevalue(persona), document=document, reason=REASON)
    document.refresh_from_db()
    assert document.status == "valid"


def test_the_supervisor_of_a_parent_office_may_not_revoke_a_service_points_document(
    issue, supervisor, liwa
):
    # given a Liwa document issued by the Kotabumi supervisor (parent office)
    document = issue(office=liwa)
    # then only Liwa's own supervisor may revoke it
    with pytest.raises(PermissionDenied):
        document_revoke(actor=supervisor, document=document, reason=REASON)


@pytest.mark.parametrize("reason", ["", "   ", "hilang", "x" * 1001])
def test_a_reason_of_10_to_1000_characters_is_required(issue, supervisor, reason):
    with pytest.raises(ValidationFailed) as caught:
        document_revoke(actor=supervisor, document=issue(), reason=reason)
    assert "reason" in caught.value.fields


def test_a_document_is_revoked_once(issue, supervisor):
    document = issue()
    document_revoke(actor=supervisor, document=document, reason=REASON)
    with pytest.raises(Conflict):
        document_revoke(actor=supervisor, document=document, reason=REASON)


# --- the page ------------------------------------------------------------------


def _stale(client: Client) -> Client:
    session = client.session
    session[SESSION_VERIFIED_AT] = int(time.time()) - 3600
    session.save()
    return client


def test_the_page_asks_for_a_fresh_code_first(issue, supervisor, client_for):
    document = issue()
    client = _stale(client_for(supervisor))
    url = f"/kantor/dokumen/{document.public_id}/cabut/"
    for response in (client.get(url), client.post(url, {"reason": REASON})):
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/mfa/verifikasi/?next=")
        assert "cabut" in response["Location"]
    document.refresh_from_db()
    assert document.status == "valid"


def test_the_page_revokes_with_a_reason(issue, supervisor, client_for):
    document = issue()
    client = client_for(supervisor)
    url = f"/kantor/dokumen/{document.public_id}/cabut/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "short"}).status_code == 422
    response = client.post(url, {"reason": REASON})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == "revoked"


def test_the_page_is_refused_to_other_staff(issue, oversight, officer, outsider, client_for):
    document = issue()
    url = f"/kantor/dokumen/{document.public_id}/cabut/"
    assert client_for(oversight).get(url).status_code == 403  # sees it, may not revoke
    # Liwa's officer and another office's supervisor do not even see it
    assert client_for(officer).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404


# --- the API ---------------------------------------------------------------------


def _api_url(document: IssuedDocument) -> str:
    return f"/api/v1/documents/{document.public_id}/revoke"


def test_the_api_revokes_through_a_freshly_verified_session(issue, supervisor, client_for):
    document = issue()
    response = client_for(supervisor).post(
        _api_url(document), {"reason": REASON}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "revoked"


def test_the_api_refuses_a_stale_session(issue, supervisor, client_for):
    document = issue()
    client = _stale(client_for(supervisor))
    response = client.post(_api_url(document), {"reason": REASON}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "reauth_required"


def _token(user, scopes: list[str]) -> str:
    # Made directly: simi.accounts.roles does not grant documents:revoke yet.
    ApiToken.objects.create(
        user=user,
        name="t",
        prefix="abcd1234",
        digest=_digest("secret"),
        scopes=scopes,
        expires_at=timezone.now() + timedelta(days=1),
    )
    return "simi_abcd1234_secret"


def test_a_token_needs_the_revoke_scope(issue, supervisor):
    document = issue()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {_token(supervisor, ['staff:read'])}")
    response = client.post(_api_url(document), {"reason": REASON}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "scope_missing"


def _code_now(device: TotpDevice) -> str:
    return code_at(device.secret, current_step())


def test_a_token_revokes_only_with_a_fresh_code_from_the_authenticator(issue, supervisor):
    # given a token with the revoke scope: a token alone is no fresh second factor
    device = TotpDevice.objects.create(
        user=supervisor, secret=new_secret(), confirmed_at=timezone.now()
    )
    document = issue()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {_token(supervisor, ['documents:revoke'])}")
    body = {"reason": REASON}
    refused = client.post(_api_url(document), body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "reauth_required"
    assert "X-SIMI-OTP" in refused.json()["error"]["message"]
    wrong = client.post(
        _api_url(document), body, content_type="application/json", HTTP_X_SIMI_OTP="000000"
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"]["code"] == "mfa_wrong_code"
    assert list(wrong.json()["error"]["fields"]) == ["X-SIMI-OTP"]
    # when it sends a current code, then the document is revoked
    code = _code_now(device)
    response = client.post(
        _api_url(document), body, content_type="application/json", HTTP_X_SIMI_OTP=code
    )
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    # and the same code does not open a second sensitive action
    again = client.post(
        _api_url(issue()),
        body,
        content_type="application/json",
        HTTP_X_SIMI_OTP=code,
    )
    assert again.status_code == 422
    assert again.json()["error"]["code"] == "mfa_wrong_code"


def test_the_api_refuses_a_missing_reason_and_other_offices(
    issue, supervisor, outsider, client_for
):
    document = issue()
    short = client_for(supervisor).post(
        _api_url(document), {"reason": "x"}, content_type="application/json"
    )
    assert short.status_code == 422
    other = client_for(outsider).post(
        _api_url(document), {"reason": REASON}, content_type="application/json"
    )
    assert other.status_code == 404
    anonymous = Client().post(
        _api_url(document), {"reason": REASON}, content_type="application/json"
    )
    assert anonymous.status_code == 401
