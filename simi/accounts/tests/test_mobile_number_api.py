"""The mobile number and the channels of notifications through the API,
with a bearer token as an app uses them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun import freeze_time

from simi.accounts.models import AccountPhone
from simi.accounts.services import api_token_create
from simi.accounts.tests.test_mobile_number import deliver_codes
from simi.audit.models import AuditEntry
from simi.notifications import sms

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def app(client, applicant):
    """Ani's phone app: a profile token."""
    _row, token = api_token_create(actor=applicant, name="ponsel", scopes=["profile"], days=30)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def call(method, path, body=None, **extra):
        kwargs = {"content_type": "application/json"} if body is not None else {}
        send = getattr(client, method)
        if body is not None:
            return send(f"{API}{path}", body, **kwargs, **headers, **extra)
        return send(f"{API}{path}", **headers, **extra)

    return call


def test_it_verifies_a_number_through_the_api(app, applicant):
    # when the app sends the number in any usual format
    sent = app("put", "/me/phone", {"number": "+62 812-3456-7890"})
    # then 202 says where the code went, masked
    assert sent.status_code == 202
    assert sent.json()["sent_to"] == "+62 812 ***** 890"
    assert app("get", "/me/phone").json()["pending_number"] == "+6281234567890"
    # when the code from the SMS is confirmed
    confirmed = app("post", "/me/phone/confirm", {"code": deliver_codes()[0]})
    # then the number is verified
    assert confirmed.status_code == 200
    body = confirmed.json()
    assert body["number"] == "+6281234567890"
    assert body["pending_number"] is None
    assert body["verified_at"]


def test_a_malformed_number_is_a_field_error_in_both_languages(app):
    indonesian = app("put", "/me/phone", {"number": "021 5551234"})
    english = app("put", "/me/phone", {"number": "+44 20 7946 0000"}, HTTP_ACCEPT_LANGUAGE="en")
    assert indonesian.status_code == english.status_code == 422
    assert indonesian.json()["error"]["code"] == "phone_format"
    assert "Masukkan nomor ponsel Indonesia" in indonesian.json()["error"]["fields"]["number"][0]
    assert "Enter an Indonesian mobile number" in english.json()["error"]["fields"]["number"][0]


def test_wrong_codes_count_and_use_the_code_up(app):
    app("put", "/me/phone", {"number": "081234567890"})
    right = deliver_codes()[0]
    wrong = "000000" if right != "000000" else "111111"
    codes = [
        app("post", "/me/phone/confirm", {"code": wrong}).json()["error"]["code"] for _ in range(5)
    ]
    assert codes == ["phone_code_wrong"] * 5
    last = app("post", "/me/phone/confirm", {"code": right}, HTTP_ACCEPT_LANGUAGE="en")
    assert last.status_code == 422
    assert last.json()["error"]["code"] == "phone_code_used_up"


def test_an_expired_code_and_the_resend_limit(app):
    app("put", "/me/phone", {"number": "081234567890"})
    code = deliver_codes()[0]
    too_soon = app("post", "/me/phone/resend")
    assert too_soon.status_code == 429
    assert too_soon.json()["error"]["code"] == "phone_code_wait"
    assert too_soon["Retry-After"]
    with freeze_time(timedelta(minutes=11)):
        expired = app("post", "/me/phone/confirm", {"code": code})
        assert expired.json()["error"]["code"] == "phone_code_expired"
        assert app("post", "/me/phone/resend").status_code == 202


def test_someone_elses_verified_number_gets_the_same_answer(client, app, other_applicant):
    # given Budi verified the number
    _row, budi = api_token_create(actor=other_applicant, name="hp", scopes=["profile"], days=1)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {budi}", "content_type": "application/json"}
    client.put(f"{API}/me/phone", {"number": "081234567890"}, **headers)
    client.post(f"{API}/me/phone/confirm", {"code": deliver_codes()[0]}, **headers)
    sms.outbox.clear()
    # when Ani's app sends it
    answer = app("put", "/me/phone", {"number": "081234567890"})
    # then the same answer as for a free number, and no SMS to Budi
    assert answer.status_code == 202
    assert answer.json()["sent_to"] == "+62 812 ***** 890"
    assert deliver_codes() == []


def test_channels_are_read_and_chosen_through_the_api(app, applicant):
    before = app("get", "/me/notification-channels").json()
    assert before == {"channels": ["email"], "chosen": False, "available": ["email"]}
    refused = app("put", "/me/notification-channels", {"channels": ["sms"]})
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "channel_needs_phone"
    AccountPhone.objects.create(
        account=applicant,
        number="+6281234567890",
        number_index="i",
        verified_at=applicant.created_at,
    )
    chosen = app("put", "/me/notification-channels", {"channels": ["whatsapp", "email"]})
    assert chosen.status_code == 200
    assert chosen.json()["channels"] == ["email", "whatsapp"]
    assert chosen.json()["chosen"] is True
    entry = AuditEntry.objects.get(action="accounts.notification_channels_chosen")
    assert entry.data == {"channels": ["email", "whatsapp"]}
    assert app("put", "/me/notification-channels", {"channels": []}).status_code == 422


def test_removing_the_number_through_the_api(app):
    app("put", "/me/phone", {"number": "081234567890"})
    assert app("delete", "/me/phone").status_code == 204
    assert app("get", "/me/phone").json()["pending_number"] is None
    assert app("delete", "/me/phone").status_code == 204


def test_the_operations_need_a_signed_in_caller_with_the_profile_scope(client, supervisor):
    assert client.get(f"{API}/me/phone").status_code == 401
    assert client.put(
        f"{API}/me/phone", {"number": "081234567890"}, content_type="application/json"
    ).status_code in {401, 403}
    _row, token = api_token_create(actor=supervisor, name="staf", scopes=["staff:read"], days=1)
    response = client.get(f"{API}/me/notification-channels", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "scope_missing"


def test_registration_through_the_api_takes_an_optional_number(client):
    body = {"full_name": "Sari", "email": "sari@example.test", "password": "correct-horse-42-x"}
    refused = client.post(
        f"{API}/auth/register",
        {**body, "mobile": "021 5551234"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "phone_format"
    assert "Enter an Indonesian mobile number" in refused.json()["error"]["fields"]["mobile"][0]
    accepted = client.post(
        f"{API}/auth/register",
        {**body, "mobile": "+6281234567890"},
        content_type="application/json",
    )
    assert accepted.status_code == 202
    assert AccountPhone.objects.get(account__email="sari@example.test").pending_number == (
        "+6281234567890"
    )
    assert deliver_codes() == []
