"""A new verification link on request, for an account that still waits for one."""

import re

import pytest
from django.core import mail

from simi.accounts.models import User
from simi.accounts.tests.factories import PASSWORD
from simi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


def _ask(client, email: str, address: str = "198.51.100.8"):
    return client.post("/akun/verifikasi-email-ulang/", {"email": email}, REMOTE_ADDR=address)


def _without_csrf(page: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page.decode())


def test_resend_verification_sends_only_to_unverified_accounts(client, run_jobs, applicant):
    # given an account that never verified its address, besides a verified one
    waiting = User.objects.create_user("belum@example.test", PASSWORD, full_name="Belum Verif")
    answers = []
    # when someone asks for a new link for each, and for an address nobody has
    for email in [waiting.email, applicant.email, "nobody@example.test"]:
        response = _ask(client, email)
        page = client.get(response.url)
        answers.append((response.status_code, response.url, _without_csrf(page.content)))
    # then the three answers are the same
    assert len(set(answers)) == 1
    assert answers[0][:2] == (302, "/akun/verifikasi-email-ulang/terkirim/")
    # and only the unverified account gets a link, which verifies it
    run_jobs()
    assert [m.to for m in mail.outbox] == [[waiting.email]]
    match = re.search(r"http://\S+(/akun/verifikasi-email/\S+/)", mail.outbox[0].body)
    assert match
    assert client.get(match.group(1)).status_code == 302
    assert User.objects.get(pk=waiting.pk).email_verified_at is not None
    # and each request is audited, naming the account only when a link was queued
    entries = AuditEntry.objects.filter(action="accounts.verification_resent")
    assert [e.object_id for e in entries.order_by("id")] == [str(waiting.public_id), "", ""]


def test_the_way_to_a_new_link_is_offered_where_it_is_needed(client):
    # given an account that has not verified its address
    User.objects.create_user("belum@example.test", PASSWORD, full_name="Belum Verif")
    # when its owner signs in, then the refusal offers a new link
    login = client.post("/akun/masuk/", {"username": "belum@example.test", "password": PASSWORD})
    assert 'href="/akun/verifikasi-email-ulang/"' in login.content.decode()
    # and so do the "check your e-mail" page after registering and a failed verification
    assert (
        'href="/akun/verifikasi-email-ulang/"'
        in client.get("/akun/daftar/terkirim/").content.decode()
    )
    failed = client.get("/akun/verifikasi-email/rusak/")
    assert failed.status_code == 400
    assert 'href="/akun/verifikasi-email-ulang/"' in failed.content.decode()


def test_a_wrong_password_does_not_offer_a_new_link(client):
    # given an unverified account, when someone signs in with a wrong password,
    # then the answer does not tell that the account waits for verification
    User.objects.create_user("belum@example.test", PASSWORD, full_name="Belum Verif")
    login = client.post(
        "/akun/masuk/", {"username": "belum@example.test", "password": "salah-1234"}
    )
    assert "verifikasi-email-ulang" not in login.content.decode()


def test_new_link_requests_are_limited_per_address_and_per_connection(client, run_jobs):
    # given an unverified account
    User.objects.create_user("belum@example.test", PASSWORD, full_name="Belum Verif")
    # when its address is asked for four times within the hour from different places
    for n in range(4):
        assert _ask(client, "belum@example.test", address=f"192.0.2.{n + 1}").status_code == 302
    run_jobs()
    # then three links go out
    assert len(mail.outbox) == 3
    # and one connection is refused after ten requests
    for n in range(10):
        assert _ask(client, f"x{n}@example.test", address="203.0.113.44").status_code == 302
    refused = _ask(client, "y@example.test", address="203.0.113.44")
    assert refused.status_code == 429
    assert refused.has_header("Retry-After")


def test_the_page_speaks_english_when_asked(client):
    # given a browser that asks for English, when it opens the page, then it reads English
    client.cookies["django_language"] = "en"
    page = client.get("/akun/verifikasi-email-ulang/").content.decode()
    assert "Send the verification link again" in page
    assert "Enter the e-mail address you registered with." in page
