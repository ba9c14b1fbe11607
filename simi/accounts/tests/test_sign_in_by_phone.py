"""Signing in with a verified mobile number, on the page and for an API
token: the same limiter, refusals and second factor as with the address."""

from __future__ import annotations

import pytest
from django.utils import timezone

from simi.accounts.models import AccountPhone
from simi.accounts.phones import mobile_index
from simi.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "Alamat email atau nomor ponsel, atau kata sandi, salah."


def verify(user, number="+6281234567890"):
    """The state the page leaves after the right code (test_mobile_number)."""
    return AccountPhone.objects.create(
        account=user,
        number=number,
        number_index=mobile_index(number),
        verified_at=timezone.now(),
    )


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post("/akun/masuk/", {"username": username, "password": password}, **extra)


@pytest.mark.parametrize(
    "typed", ["0812 3456 7890", "+6281234567890", "62 812-3456-7890", "081234567890"]
)
def test_it_signs_in_with_the_verified_number_in_any_format(client, applicant, typed):
    # given Ani verified her number
    verify(applicant)
    # when she signs in with it as she writes it
    response = sign_in(client, typed)
    # then she is in
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(applicant.pk)


def test_a_wrong_password_and_an_unknown_number_get_the_same_message(client, applicant):
    verify(applicant)
    wrong_password = sign_in(client, "081234567890", "not-her-password")
    unknown_number = sign_in(client, "081299998888")
    wrong_by_email = sign_in(client, applicant.email, "not-her-password")
    for response in (wrong_password, unknown_number, wrong_by_email):
        assert response.status_code == 200
        assert WRONG in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_number_waiting_for_its_code_does_not_sign_in(client, applicant):
    # given a number entered but never verified
    AccountPhone.objects.create(
        account=applicant, pending_number="+6281234567890", pending_index="x"
    )
    response = sign_in(client, "081234567890")
    assert WRONG in response.content.decode()


def test_the_message_is_in_english_too(client, applicant):
    client.cookies["django_language"] = "en"
    response = sign_in(client, "081299998888")
    assert "The e-mail address or mobile number, or the password, is wrong." in (
        response.content.decode()
    )


def test_what_is_neither_an_address_nor_a_number_is_refused_on_the_field(client, applicant):
    response = sign_in(client, "ani")
    assert "Masukkan alamat email atau nomor ponsel Anda" in response.content.decode()


def test_an_unverified_account_is_refused_as_with_its_address(client, reference_data):
    # given an account whose address was never verified (a number set by an admin)
    user = UserFactory(email="new@example.test", email_verified_at=None)
    verify(user)
    response = sign_in(client, "081234567890")
    assert "Verifikasi alamat email Anda" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_signing_in_by_number_still_need_their_second_factor(client, officer):
    verify(officer)
    response = sign_in(client, "+62 812 3456 7890", follow=True)
    assert response.redirect_chain[-1][0].startswith("/akun/mfa/?next=")


def test_wrong_passwords_by_number_and_by_address_share_one_delay(client, applicant):
    # given wrong passwords, some typed with the number in several formats
    verify(applicant)
    for typed in ["081234567890", "+6281234567890", applicant.email, "6281234567890", "0812"]:
        sign_in(client, typed, "nope", REMOTE_ADDR="10.9.9.9")
    sign_in(client, applicant.email, "nope", REMOTE_ADDR="10.9.9.9")
    # when the right password follows from the same place
    response = sign_in(client, "0812 3456 7890", REMOTE_ADDR="10.9.9.9")
    # then it waits like after six wrong passwords for one account
    assert response.status_code == 429


def _token(client, email, password=PASSWORD, **extra):
    return client.post(
        "/api/v1/auth/tokens",
        {"email": email, "password": password, "name": "phone app"},
        content_type="application/json",
        **extra,
    )


def test_the_api_issues_a_token_for_the_verified_number(client, applicant):
    verify(applicant)
    response = _token(client, "0812-3456-7890")
    assert response.status_code == 201
    token = response.json()["token"]
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.json()["email"] == applicant.email


def test_the_api_answers_a_wrong_number_like_a_wrong_password(client, applicant):
    verify(applicant)
    by_number = _token(client, "081299998888", HTTP_ACCEPT_LANGUAGE="en")
    by_password = _token(client, "+6281234567890", "nope-nope", HTTP_ACCEPT_LANGUAGE="en")
    assert by_number.status_code == by_password.status_code == 401
    assert (
        by_number.json()["error"]["code"] == by_password.json()["error"]["code"] == ("login_failed")
    )
    assert by_number.json()["error"]["message"] == by_password.json()["error"]["message"]
    assert "mobile number" in by_number.json()["error"]["message"]


def test_the_demo_applicant_signs_in_with_its_made_up_number(client, reference_data):
    # given the demo accounts, seeded twice (deterministic, idempotent)
    from simi.accounts.demo import demo_seed
    from simi.accounts.passwords import DEMO_PASSWORD

    demo_seed(applicants=0)
    demo_seed(applicants=0)
    phone = AccountPhone.objects.get(account__email="pemohon@demo.simi.invalid")
    assert phone.number == "+6281200000001"
    # when the demo applicant signs in with it in the usual way of writing
    response = sign_in(client, "0812 0000 0001", DEMO_PASSWORD)
    # then the demo applicant is in
    assert response.status_code == 302


def test_erasing_an_account_frees_its_number(client_for, applicant, other_applicant):
    from simi.accounts.services import account_anonymize

    verify(applicant)
    account_anonymize(actor=None, user=applicant)
    assert not AccountPhone.objects.filter(account=applicant).exists()
    # the next holder of the number can verify it
    response = client_for(other_applicant).post("/akun/telepon/", {"number": "081234567890"})
    assert response.status_code == 302
    from simi.accounts.tests.test_mobile_number import deliver_codes

    assert len(deliver_codes()) == 1
