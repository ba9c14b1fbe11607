"""Forgotten passwords on the web: ask for a link, choose a new password once."""

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from simi.accounts.models import ApiToken, User
from simi.accounts.services import api_token_create
from simi.accounts.tests.factories import PASSWORD
from simi.accounts.tests.test_registration import _writes
from simi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)

NEW = "kabut-pagi-di-liwa-77"


def _ask(client, email: str, address: str = "198.51.100.7"):
    return client.post("/akun/lupa-sandi/", {"email": email}, REMOTE_ADDR=address)


def _without_csrf(page: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page.decode())


def _link_from_last_mail() -> str:
    match = re.search(r"http://\S+(/akun/sandi-baru/\S+/\S+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def _set(client, link: str, password: str = NEW, confirm: str | None = None):
    return client.post(link, {"password": password, "password_confirm": confirm or password})


def test_the_sign_in_page_links_to_the_forgotten_password_page(client):
    # when someone opens the sign-in page, then it offers a way to a new password
    page = client.get("/akun/masuk/").content.decode()
    assert 'href="/akun/lupa-sandi/"' in page
    assert "Lupa kata sandi?" in page


def test_reset_request_answers_the_same_for_known_and_unknown_addresses(
    client, run_jobs, applicant, officer
):
    # given an unverified account besides a verified applicant and a staff member
    unverified = User.objects.create_user(
        "belum@example.test", PASSWORD, full_name="Belum Verifikasi"
    )
    answers = []
    # when someone asks for a link for each of them and for an address nobody has
    for email in [applicant.email, unverified.email, officer.email, "nobody@example.test"]:
        response = _ask(client, email)
        page = client.get(response.url)
        answers.append(
            (response.status_code, response.url, page.status_code, _without_csrf(page.content))
        )
    # then every answer is the same redirect to the same page
    assert len(set(answers)) == 1
    assert answers[0][:3] == (302, "/akun/lupa-sandi/terkirim/", 200)
    assert "Jika ada akun untuk alamat ini" in answers[0][3]
    # and each request is audited, naming the account only when there is one
    entries = AuditEntry.objects.filter(action="accounts.password_reset_requested")
    assert entries.count() == 4
    assert entries.filter(object_id="").count() == 1
    # and the worker mails the three accounts and nobody else
    run_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [applicant.email, unverified.email, officer.email]
    )


def test_reset_link_sets_a_new_password_once(client, run_jobs, applicant):
    # given an applicant who asked for a link
    _ask(client, applicant.email)
    run_jobs()
    assert mail.outbox[-1].subject == "Atur kata sandi baru untuk SIMI Lampung Barat"
    link = _link_from_last_mail()
    # when she opens it and chooses a new password
    assert client.get(link).status_code == 200
    response = _set(client, link)
    # then she is told to sign in, and the new password works where the old one does not
    assert response.status_code == 302
    assert response.url == "/akun/masuk/"
    page = client.get(response.url).content.decode()
    assert "Kata sandi Anda sudah diganti. Masuk dengan kata sandi baru." in page
    old = client.post("/akun/masuk/", {"username": applicant.email, "password": PASSWORD})
    assert old.status_code == 200
    new = client.post("/akun/masuk/", {"username": applicant.email, "password": NEW})
    assert new.status_code == 302
    # and the change is audited
    assert AuditEntry.objects.filter(
        action="accounts.password_reset", object_id=str(applicant.public_id)
    ).exists()
    # when the link is opened again, then it is refused
    client.post("/akun/keluar/")
    again = _set(client, link, password="lagi-lagi-sandi-baru-9")
    assert again.status_code == 400
    assert User.objects.get(pk=applicant.pk).check_password(NEW)


def test_used_or_expired_link_is_refused_with_a_way_to_ask_again(client, run_jobs, applicant):
    # given a link from an hour and a minute ago
    _ask(client, applicant.email)
    run_jobs()
    link = _link_from_last_mail()
    # when it is opened after its hour (the token counts local, naive time)
    with freeze_time(datetime.now() + timedelta(hours=1, minutes=1)):
        response = client.get(link)
        posted = _set(client, link)
    # then a clear page says so and offers a new link; the password did not change
    for answer in (response, posted):
        assert answer.status_code == 400
        page = answer.content.decode()
        assert "Tautan ini tidak berlaku lagi" in page
        assert 'href="/akun/lupa-sandi/"' in page
    assert User.objects.get(pk=applicant.pk).check_password(PASSWORD)
    # and a tampered link is refused the same way
    assert client.get(link[:-3] + "xx/").status_code == 400


@override_settings(LANGUAGE_CODE="id")
def test_the_refusal_and_the_mail_speak_english_to_english_speakers(client, run_jobs, applicant):
    # given an applicant who reads English
    applicant.preferred_language = "en"
    applicant.save(update_fields=["preferred_language"])
    _ask(client, applicant.email)
    run_jobs()
    # then her mail is in English
    assert mail.outbox[-1].subject == "Set a new password for SIMI Lampung Barat"
    assert "The link works once, for 60 minutes." in mail.outbox[-1].body
    # and a broken link is explained in English when the browser asks for it
    client.cookies["django_language"] = "en"
    page = client.get(_link_from_last_mail()[:-3] + "xx/").content.decode()
    assert "This link does not work any more" in page
    assert "Ask for a new link" in page


def test_a_weak_new_password_is_refused_with_the_reason(client, run_jobs, applicant):
    # given a valid link
    _ask(client, applicant.email)
    run_jobs()
    link = _link_from_last_mail()
    # when the new password is too short, or the two do not match
    short = _set(client, link, password="pendek1")
    mismatch = _set(client, link, password=NEW, confirm="sesuatu-yang-lain-3")
    # then the page says why and nothing changed; the link still works
    assert short.status_code == 422
    assert "Kata sandi terlalu pendek" in short.content.decode()
    assert mismatch.status_code == 422
    assert "Kedua kata sandi tidak sama." in mismatch.content.decode()
    assert User.objects.get(pk=applicant.pk).check_password(PASSWORD)
    assert _set(client, link).status_code == 302


def test_a_new_password_signs_out_every_other_session_and_revokes_tokens(
    client, client_for, run_jobs, applicant
):
    # given the applicant signed in on another device, and holding an API token
    elsewhere = client_for(applicant)
    assert elsewhere.get("/akun/").status_code == 200
    _row, token = api_token_create(actor=applicant, name="Ponsel", scopes=["profile"], days=30)
    # when she sets a new password from a link
    _ask(client, applicant.email)
    run_jobs()
    assert _set(client, _link_from_last_mail()).status_code == 302
    # then the other device is signed out and the token no longer works
    assert elsewhere.get("/akun/").status_code == 302
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_an_unverified_account_is_verified_by_its_reset_link(client, run_jobs):
    # given an account that never opened its verification link
    user = User.objects.create_user("belum@example.test", PASSWORD, full_name="Belum Verifikasi")
    # when its owner resets the password from the link mailed to that address
    _ask(client, user.email)
    run_jobs()
    assert _set(client, _link_from_last_mail()).status_code == 302
    # then the address counts as verified and she can sign in
    assert User.objects.get(pk=user.pk).email_verified_at is not None
    signed_in = client.post("/akun/masuk/", {"username": user.email, "password": NEW})
    assert signed_in.status_code == 302


def test_reset_requests_are_limited_per_connection_and_per_address(client, run_jobs, applicant):
    # when one address is asked for four times within the hour
    for n in range(4):
        assert _ask(client, applicant.email, address=f"198.51.100.{n + 1}").status_code == 302
    run_jobs()
    # then only three mails go out, and the fourth answer looked like the others
    assert len(mail.outbox) == 3
    # when one connection asks for ten addresses, then the eleventh is refused
    for n in range(10):
        assert _ask(client, f"orang{n}@example.test", address="203.0.113.9").status_code == 302
    refused = _ask(client, "lagi@example.test", address="203.0.113.9")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Terlalu banyak permintaan dari koneksi ini" in refused.content.decode()


def test_a_bad_address_gets_a_field_message(client):
    # when the address is not an address, then the form says so
    response = _ask(client, "bukan-alamat")
    assert response.status_code == 422
    assert "Masukkan alamat email yang valid." in response.content.decode()
    assert not AuditEntry.objects.filter(action="accounts.password_reset_requested").exists()


def _reset_and_watch(client, email: str, address: str) -> tuple[int, list, int]:
    jobs_before = DBTaskResult.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = _ask(client, email, address=address)
    return (
        response.status_code,
        _writes(queries.captured_queries),
        DBTaskResult.objects.count() - jobs_before,
    )


def test_it_does_the_same_work_for_a_known_and_an_unknown_address(client, applicant):
    # given an audit log that has begun (its first entry creates the log's head row)
    _ask(client, "pertama@example.test", address="203.0.113.50")
    # when someone asks for a link for an address nobody has, and for an account's
    unknown = _reset_and_watch(client, "baru@example.test", "203.0.113.51")
    known = _reset_and_watch(client, applicant.email, "203.0.113.52")
    # then the answers, the tables written in their order and the jobs queued are the same
    assert unknown[0] == known[0] == 302
    assert unknown[1] == known[1]
    assert unknown[2] == known[2] == 1


def test_new_password_attempts_are_limited_per_connection(client, applicant):
    # given a forged link, when one connection sends thirty new passwords with it
    link = f"/akun/sandi-baru/{applicant.public_id}/abc-123/"
    for _ in range(30):
        assert _set(client, link).status_code == 400
    # then the next is refused before the link is even looked at
    refused = _set(client, link)
    assert refused.status_code == 429
    assert refused.has_header("Retry-After")
