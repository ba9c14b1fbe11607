import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from simi.accounts.links import email_verification_token
from simi.accounts.models import User
from simi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)

GOOD = {
    "full_name": "Siti Rahmawati",
    "email": "Siti@Example.test",
    "password": "kopi-liwa-pagi-2026",
    "password_confirm": "kopi-liwa-pagi-2026",
}


def _link_from_last_mail() -> str:
    match = re.search(r"http://\S+/akun/verifikasi-email/(\S+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return f"/akun/verifikasi-email/{match.group(1)}/"


def test_an_applicant_registers_verifies_and_signs_in(client, run_jobs):
    # when Siti registers
    response = client.post("/akun/daftar/", GOOD)
    assert response.status_code == 302
    user = User.objects.get(email="siti@example.test")
    assert user.email_verified_at is None
    assert user.password.startswith("md5$") or user.password.startswith("argon2")
    # then she cannot sign in before verifying
    login = client.post("/akun/masuk/", {"username": GOOD["email"], "password": GOOD["password"]})
    assert login.status_code == 200
    assert "verif" in login.content.decode().lower()
    # and the worker sends her a link in her language
    run_jobs()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti@example.test"]
    # when she opens it
    assert client.get(_link_from_last_mail()).status_code == 302
    # then she can sign in
    login = client.post(
        "/akun/masuk/", {"username": "siti@example.test", "password": GOOD["password"]}
    )
    assert login.status_code == 302
    assert AuditEntry.objects.filter(
        action="accounts.email_verified", object_id=str(user.public_id)
    ).exists()


def test_registering_a_known_address_reveals_nothing_and_warns_the_owner(
    client, run_jobs, applicant
):
    response = client.post("/akun/daftar/", {**GOOD, "email": applicant.email})
    assert response.status_code == 302
    assert response.url == "/akun/daftar/terkirim/"
    assert User.objects.filter(email=applicant.email).count() == 1
    run_jobs()
    assert mail.outbox[0].to == [applicant.email]
    assert "/akun/masuk/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "Masukkan alamat email yang valid."),
        ({"full_name": ""}, "full_name", "Bidang ini tidak boleh kosong."),
        (
            {"password": "12345678", "password_confirm": "12345678"},
            "password",
            "Kata sandi terlalu pendek",
        ),
        (
            {"password_confirm": "something-else-1"},
            "password_confirm",
            "Kedua kata sandi tidak sama.",
        ),
        ({"full_name": "x" * 151}, "full_name", "150"),
    ],
)
def test_bad_registration_input_gets_a_field_message_in_indonesian(client, change, field, message):
    response = client.post("/akun/daftar/", {**GOOD, **change})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not User.objects.filter(email="siti@example.test").exists()


def test_an_expired_or_tampered_link_is_refused(client, applicant):
    applicant.email_verified_at = None
    applicant.save()
    token = email_verification_token(applicant)
    assert client.get(f"/akun/verifikasi-email/{token}x/").status_code == 400
    with freeze_time(timedelta(hours=49)):
        response = client.get(f"/akun/verifikasi-email/{token}/")
    assert response.status_code == 400
    assert "kedaluwarsa" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.email_verified_at is None


def test_opening_the_link_twice_is_harmless(client, applicant):
    applicant.email_verified_at = None
    applicant.save()
    token = email_verification_token(applicant)
    assert client.get(f"/akun/verifikasi-email/{token}/").status_code == 302
    first = User.objects.get(pk=applicant.pk).email_verified_at
    assert client.get(f"/akun/verifikasi-email/{token}/").status_code == 302
    assert User.objects.get(pk=applicant.pk).email_verified_at == first


@override_settings(LANGUAGE_CODE="id")
def test_english_speakers_get_english_messages(client):
    client.cookies["django_language"] = "en"
    response = client.post("/akun/daftar/", {**GOOD, "password_confirm": "nope-nope-nope"})
    assert "The two passwords are not the same." in response.content.decode()


def test_the_verification_link_carries_no_personal_data(applicant):
    import base64

    token = email_verification_token(applicant)
    payload = token.split(":")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    assert applicant.email not in decoded
    assert "ani" not in decoded


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how often a password is hashed."""

    calls = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls += 1
        return super().encode(password, salt)


def _writes(queries: list[dict[str, str]]) -> list[tuple[str, str]]:
    found = []
    for query in queries:
        sql = query["sql"] or ""
        match = re.match(r'\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', sql, re.I)
        if match:
            found.append((match.group(1).upper(), match.group(2)))
    return found


def _register_and_watch(client, email: str, address: str) -> tuple[int, list, int, int]:
    CountingHasher.calls = 0
    jobs_before = DBTaskResult.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/akun/daftar/", {**GOOD, "email": email}, REMOTE_ADDR=address)
    jobs = DBTaskResult.objects.count() - jobs_before
    return response.status_code, _writes(queries.captured_queries), CountingHasher.calls, jobs


@override_settings(PASSWORD_HASHERS=[f"{__name__}.CountingHasher"])
def test_it_does_the_same_work_for_a_known_and_an_unknown_address(client, applicant):
    # given an audit log that has begun (its first entry creates the log's head row)
    _register_and_watch(client, "pertama@example.test", "203.0.113.19")
    # when someone registers with an address nobody has
    unknown = _register_and_watch(client, "baru@example.test", "203.0.113.20")
    # and with the address of an existing account
    known = _register_and_watch(client, applicant.email, "203.0.113.21")
    # then both answers are the same, the password was hashed in both,
    # the same tables were written in the same order, and one mail job was queued
    assert unknown[0] == known[0] == 302
    assert unknown[2] == known[2] == 1
    assert unknown[1] == known[1]
    assert unknown[3] == known[3] == 1


def test_registering_again_before_verifying_sends_a_new_link(client, run_jobs, applicant):
    # given an account whose address was never verified (its first link expired)
    applicant.email_verified_at = None
    applicant.save(update_fields=["email_verified_at"])
    # when its owner registers again, as the expired link told her to
    response = client.post("/akun/daftar/", {**GOOD, "email": applicant.email})
    run_jobs()
    # then she gets a new link that verifies the account, and no second account exists
    assert response.status_code == 302
    assert mail.outbox[-1].to == [applicant.email]
    assert client.get(_link_from_last_mail()).status_code == 302
    assert User.objects.get(email=applicant.email).email_verified_at is not None
    assert User.objects.filter(email=applicant.email).count() == 1


def test_a_verification_mail_sent_again_after_a_lost_worker_is_the_same_message(client, run_jobs):
    from django.utils import timezone

    from simi.core.leases import job_requeue

    # given a registration whose mail went out
    client.post("/akun/daftar/", GOOD)
    run_jobs()
    assert len(mail.outbox) == 1
    first = mail.outbox[0]
    # when its worker is lost before finishing the job, so the job runs again
    job = DBTaskResult.objects.get(task_path__endswith="send_registration_email")
    DBTaskResult.objects.filter(pk=job.pk).update(status="RUNNING", started_at=timezone.now())
    assert job_requeue(DBTaskResult.objects.get(pk=job.pk))
    run_jobs()
    # then the mail sent again carries the same Message-ID, so a mail system
    # shows one message; and the link in it still works
    assert len(mail.outbox) == 2
    assert mail.outbox[1].extra_headers["Message-ID"] == first.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"] == f"<job.{job.pk}@simi.invalid>"
    assert client.get(_link_from_last_mail()).status_code in (200, 302)
