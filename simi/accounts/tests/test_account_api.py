"""Registration, verification and password reset through the API, as on the web."""

import re

import pytest
from django.core import mail

from simi.accounts.models import ApiToken, User
from simi.accounts.services import api_token_create
from simi.accounts.tests.factories import PASSWORD
from simi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)

NEW = "kabut-pagi-di-liwa-77"
SITI = {"full_name": "Siti Rahmawati", "email": "siti@example.test", "password": NEW}


def _post(client, path: str, body: dict, address: str = "198.51.100.30", **extra):
    return client.post(
        f"/api/v1/auth/{path}",
        body,
        content_type="application/json",
        REMOTE_ADDR=address,
        **extra,
    )


def _reset_parts() -> tuple[str, str]:
    match = re.search(r"/akun/sandi-baru/([0-9a-f-]+)/(\S+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1), match.group(2)


def test_an_app_registers_verifies_and_signs_in(client, run_jobs):
    # when an app registers Siti
    response = _post(client, "register", SITI)
    # then the answer is a neutral 202 and her account waits for verification
    assert response.status_code == 202
    assert response.json()["message"].startswith("Jika alamat tersebut dapat didaftarkan")
    user = User.objects.get(email="siti@example.test")
    assert user.email_verified_at is None
    # when the app sends the token of the link in her mail
    run_jobs()
    token = re.search(r"/akun/verifikasi-email/(\S+)/", mail.outbox[-1].body).group(1)
    verified = _post(client, "verify-email", {"token": token})
    # then her address is verified and she can get an API token
    assert verified.status_code == 200
    assert User.objects.get(pk=user.pk).email_verified_at is not None
    signed_in = _post(client, "tokens", {"email": SITI["email"], "password": NEW, "name": "HP"})
    assert signed_in.status_code == 201


def test_registering_a_known_address_answers_the_same_and_warns_the_owner(
    client, run_jobs, applicant
):
    # when an app registers an address nobody has, and the address of an account
    unknown = _post(client, "register", SITI)
    known = _post(client, "register", {**SITI, "email": applicant.email})
    # then both answers are the same and no second account exists
    assert (unknown.status_code, unknown.json()) == (known.status_code, known.json())
    assert User.objects.filter(email=applicant.email).count() == 1
    # and the owner is told that someone tried, with the way to sign in
    run_jobs()
    owner_mail = next(m for m in mail.outbox if m.to == [applicant.email])
    assert "/akun/masuk/" in owner_mail.body


def test_bad_registration_input_gets_the_error_envelope(client):
    # when the password is weak or the address is not one
    weak = _post(client, "register", {**SITI, "password": "12345678"})
    bad = _post(client, "register", {**SITI, "email": "bukan-alamat"})
    # then each answer names the field and a stable code, and nothing is created
    assert weak.status_code == 422
    assert weak.json()["error"]["code"] == "password_weak"
    assert "password" in weak.json()["error"]["fields"]
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "email_format"
    assert not User.objects.exists()


def test_registrations_share_the_limit_of_the_web_form(client):
    # given ten registrations from one connection on the web page
    for n in range(10):
        client.post(
            "/akun/daftar/",
            {**SITI, "email": f"o{n}@example.test", "password_confirm": NEW},
            REMOTE_ADDR="203.0.113.70",
        )
    # when the same connection registers through the API, then it is refused
    refused = _post(client, "register", SITI, address="203.0.113.70")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert int(refused["Retry-After"]) > 0


def test_a_bad_verification_token_gets_a_stable_code(client):
    response = _post(client, "verify-email", {"token": "rusak"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "verification_invalid"


def test_api_reset_request_answers_the_same_for_known_and_unknown_addresses(
    client, run_jobs, applicant, officer
):
    # when an app asks for a link for an applicant, a staff member and nobody
    answers = [
        _post(client, "password-reset", {"email": email})
        for email in [applicant.email, officer.email, "nobody@example.test"]
    ]
    # then every answer is the same 202
    assert {(a.status_code, a.content) for a in answers} == {(202, answers[0].content)}
    assert AuditEntry.objects.filter(action="accounts.password_reset_requested").count() == 3
    # and the two accounts get a link
    run_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([applicant.email, officer.email])


def test_api_reset_link_sets_a_new_password_once(client, run_jobs, applicant):
    # given an applicant with an API token who asked for a link
    _row, old_token = api_token_create(actor=applicant, name="HP", scopes=["profile"], days=30)
    _post(client, "password-reset", {"email": applicant.email})
    run_jobs()
    uid, token = _reset_parts()
    # when the app sends the link's parts with a new password
    body = {"uid": uid, "token": token, "password": NEW}
    response = _post(client, "password-reset/confirm", body)
    # then the password is changed, the old token is revoked, and the change is audited
    assert response.status_code == 200
    assert "Masuk dengan kata sandi baru" in response.json()["message"]
    assert User.objects.get(pk=applicant.pk).check_password(NEW)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {old_token}").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None
    assert AuditEntry.objects.filter(action="accounts.password_reset").count() == 1
    # when the same link is sent again, then it is refused with a stable code
    again = _post(client, "password-reset/confirm", {**body, "password": "lain-lagi-sandi-5"})
    assert again.status_code == 422
    assert again.json()["error"]["code"] == "password_reset_link_invalid"
    assert User.objects.get(pk=applicant.pk).check_password(NEW)


def test_api_reset_refuses_a_weak_password_and_a_forged_link(client, run_jobs, applicant):
    # given a valid link
    _post(client, "password-reset", {"email": applicant.email})
    run_jobs()
    uid, token = _reset_parts()
    # when the new password is weak, or the token is forged
    weak = _post(client, "password-reset/confirm", {"uid": uid, "token": token, "password": "123"})
    forged = _post(
        client, "password-reset/confirm", {"uid": uid, "token": token[:-2] + "xx", "password": NEW}
    )
    # then each is refused with its code and the password stays
    assert weak.status_code == 422
    assert weak.json()["error"]["code"] == "password_weak"
    assert weak.json()["error"]["fields"]["password"]
    assert forged.status_code == 422
    assert forged.json()["error"]["code"] == "password_reset_link_invalid"
    assert User.objects.get(pk=applicant.pk).check_password(PASSWORD)


def test_api_answers_in_english_when_asked(client, run_jobs):
    # when an app that asks for English registers, then the answer is English
    response = _post(client, "register", SITI, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["message"].startswith("If the address can be registered")
    # and the account will be mailed in English
    assert User.objects.get(email=SITI["email"]).preferred_language == "en"
    forged = _post(
        client,
        "password-reset/confirm",
        {"uid": "00000000-0000-0000-0000-000000000000", "token": "x", "password": NEW},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert forged.json()["error"]["message"].startswith("This link is not valid any more")


def test_api_resend_verification_sends_only_to_unverified_accounts(client, run_jobs, applicant):
    # given an account that never verified its address, besides a verified one
    waiting = User.objects.create_user("belum@example.test", PASSWORD, full_name="Belum Verif")
    # when an app asks for a new link for each and for an address nobody has
    answers = [
        _post(client, "verify-email/resend", {"email": email})
        for email in [waiting.email, applicant.email, "nobody@example.test"]
    ]
    # then the answers are the same 202, and only the unverified account gets a link
    assert {(a.status_code, a.content) for a in answers} == {(202, answers[0].content)}
    run_jobs()
    assert [m.to for m in mail.outbox] == [[waiting.email]]
