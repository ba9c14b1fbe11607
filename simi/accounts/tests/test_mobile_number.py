"""The account's mobile number on its page: entered in any usual format,
verified by a code sent by SMS through the notifications outbox."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from freezegun import freeze_time

from simi.accounts.models import AccountPhone
from simi.accounts.tests.factories import UserFactory
from simi.audit.models import AuditEntry
from simi.notifications import sms
from simi.notifications.delivery import notification_deliver
from simi.notifications.models import DeliveryStatus, Notification

pytestmark = pytest.mark.django_db

NUMBER = "0812 3456 7890"
E164 = "+6281234567890"


def deliver_codes() -> list[str]:
    """Send the waiting code SMS with the real delivery code (the worker's
    work) and read the codes the locmem gateway got."""
    for row in Notification.objects.filter(event="phone_code", status=DeliveryStatus.PENDING):
        notification_deliver(notification_id=row.pk)
    return [re.search(r"\b(\d{6})\b", m.text).group(1) for m in sms.outbox]  # type: ignore[union-attr]


def add_number(client, number=NUMBER, **extra):
    return client.post("/akun/telepon/", {"number": number}, **extra)


def test_it_sends_a_code_by_sms_and_verifies_the_number(client_for, applicant):
    # given Ani on her account page
    client = client_for(applicant)
    # when she enters her number as people write it
    response = add_number(client, follow=True)
    # then she is told where the code went, masked, in Bahasa Indonesia
    page = response.content.decode()
    assert "Kami telah mengirim kode 6 digit lewat SMS ke +62 812 ***** 890" in page
    # and one SMS reaches that number in E.164 through the outbox, with the code
    codes = deliver_codes()
    assert [m.to for m in sms.outbox] == [E164]
    assert sms.outbox[0].text.startswith("SIMI: Kode verifikasi Anda ")
    # and the outbox row holds neither the number nor, once sent, the code
    row = Notification.objects.get(event="phone_code")
    assert row.params == {}
    assert row.channel == "sms"
    # when she enters the code
    response = client.post("/akun/telepon/kode/", {"code": codes[0]}, follow=True)
    # then the number is verified and she is taken to her choice of channels
    assert response.redirect_chain[-1][0] == "/akun/notifikasi/"
    assert "Nomor ponsel Anda sudah terverifikasi" in response.content.decode()
    phone = AccountPhone.objects.get(account=applicant)
    assert phone.verified
    assert phone.number == E164
    # and the code is kept only as a digest, and the number only encrypted
    assert codes[0] not in (phone.code_digest or "")
    actions = list(
        AuditEntry.objects.filter(action__startswith="accounts.phone").values_list(
            "action", flat=True
        )
    )
    assert actions == ["accounts.phone_added", "accounts.phone_verified"]
    assert "+62 812 3456 7890" in client.get("/akun/").content.decode()


@pytest.mark.parametrize("number", ["+62 812-3456-7890", "6281234567890", "(0812) 3456.7890"])
def test_it_takes_every_usual_format_as_the_same_number(client_for, applicant, number):
    # when the number is written with +62, 62 or separators
    response = add_number(client_for(applicant), number)
    # then it is stored in E.164 and the code goes there
    assert response.status_code == 302
    deliver_codes()
    assert [m.to for m in sms.outbox] == [E164]


@pytest.mark.parametrize(
    "number", ["021 5551234", "+1 415 555 1234", "0812", "08123456789012345", "nomor saya"]
)
def test_it_refuses_what_is_not_an_indonesian_mobile_number(client_for, applicant, number):
    # when she enters a landline, a foreign number, too few digits or words
    response = add_number(client_for(applicant), number)
    # then she is told plainly what is taken, and nothing is stored or sent
    assert response.status_code == 422
    assert "Masukkan nomor ponsel Indonesia, misalnya 0812 3456 7890" in response.content.decode()
    assert not AccountPhone.objects.exists()
    assert not Notification.objects.exists()


def test_it_refuses_a_malformed_number_in_english_too(client_for, applicant):
    client = client_for(applicant)
    client.cookies["django_language"] = "en"
    response = client.post("/akun/telepon/", {"number": "12345"})
    assert response.status_code == 422
    assert "Enter an Indonesian mobile number, for example 0812 3456 7890" in (
        response.content.decode()
    )


def test_five_wrong_codes_use_the_code_up(client_for, applicant):
    # given a code on its way
    client = client_for(applicant)
    add_number(client)
    right = deliver_codes()[0]
    wrong = "000000" if right != "000000" else "111111"
    # when a wrong code is entered five times
    answers = [client.post("/akun/telepon/kode/", {"code": wrong}) for _ in range(5)]
    # then each says how many tries remain
    assert [a.status_code for a in answers] == [422] * 5
    assert "Anda masih punya 4 kali percobaan" in answers[0].content.decode()
    # when the right code comes after that
    response = client.post("/akun/telepon/kode/", {"code": right})
    # then it is refused too: ask for a new code
    assert response.status_code == 422
    assert "Terlalu banyak kode salah. Minta kode baru." in response.content.decode()
    assert not AccountPhone.objects.get(account=applicant).verified
    assert AuditEntry.objects.filter(action="accounts.phone_code_failed").count() == 6


def test_an_expired_code_is_refused(client_for, applicant):
    client = client_for(applicant)
    add_number(client)
    code = deliver_codes()[0]
    # when the code comes after its ten minutes
    client.cookies["django_language"] = "en"
    with freeze_time(timedelta(minutes=11)):
        response = client.post("/akun/telepon/kode/", {"code": code})
    # then it has expired
    assert response.status_code == 422
    assert "This code has expired. Ask for a new code." in response.content.decode()


def test_a_new_code_is_rate_limited_and_replaces_the_old_one(client_for, applicant):
    client = client_for(applicant)
    add_number(client)
    first = deliver_codes()[0]
    # when she asks again at once
    response = client.post("/akun/telepon/kode-baru/")
    # then she must wait a minute (429, Retry-After)
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 60
    # when she asks after a minute
    with freeze_time(timedelta(seconds=61)):
        assert client.post("/akun/telepon/kode-baru/").status_code == 302
        codes = deliver_codes()
        assert len(codes) == 2
        # then the old code no longer works, the new one does
        if first != codes[1]:
            assert client.post("/akun/telepon/kode/", {"code": first}).status_code == 422
        assert client.post("/akun/telepon/kode/", {"code": codes[1]}).status_code == 302


def test_someone_elses_verified_number_gets_the_same_answer_and_no_sms(
    client_for, applicant, other_applicant
):
    # given Budi verified the number
    budi = client_for(other_applicant)
    add_number(budi)
    budi.post("/akun/telepon/kode/", {"code": deliver_codes()[0]})
    sms.outbox.clear()
    # when Ani enters the same number
    response = add_number(client_for(applicant), "+6281234567890", follow=True)
    # then she is told the same as for any number
    assert "Kami telah mengirim kode 6 digit lewat SMS ke +62 812 ***** 890" in (
        response.content.decode()
    )
    # but nothing is sent to Budi's phone, and no code of hers can verify it
    assert deliver_codes() == []
    assert not Notification.objects.filter(recipient=applicant).exists()
    for guess in ("123456", "000000"):
        client_for(applicant).post("/akun/telepon/kode/", {"code": guess})
    assert not AccountPhone.objects.get(account=applicant).verified
    assert AccountPhone.objects.get(account=other_applicant).number == E164
    entry = AuditEntry.objects.filter(action="accounts.phone_added").last()
    assert entry is not None
    assert entry.data["code_sent"] is False


def test_one_number_gets_at_most_five_codes_an_hour_whoever_asks(client_for, reference_data):
    # given six accounts asking for the same number within the hour
    for n in range(6):
        add_number(client_for(UserFactory(email=f"flood{n}@example.test")))
    # then the number gets five codes, the sixth is dropped without a word
    assert len(deliver_codes()) == 5


def test_the_verified_number_keeps_working_until_a_new_one_is_verified(client_for, applicant):
    client = client_for(applicant)
    add_number(client)
    client.post("/akun/telepon/kode/", {"code": deliver_codes()[0]})
    with freeze_time(timedelta(seconds=61)):
        add_number(client, "0813 1111 2222")
    phone = AccountPhone.objects.get(account=applicant)
    assert phone.number == E164
    assert phone.pending_number == "+6281311112222"
    page = client.get("/akun/telepon/").content.decode()
    assert "+62 812 3456 7890" in page
    assert "+62 813 1111 2222" in page


def test_removing_the_number_stops_sms_and_is_audited(client_for, applicant):
    client = client_for(applicant)
    add_number(client)
    client.post("/akun/telepon/kode/", {"code": deliver_codes()[0]})
    client.post("/akun/notifikasi/", {"channels": ["email", "sms"]})
    # when she removes her number
    response = client.post("/akun/telepon/hapus/", follow=True)
    # then it is gone, SMS is no longer chosen, and the change is audited
    assert "Nomor ponsel Anda sudah dihapus" in response.content.decode()
    assert not AccountPhone.objects.filter(account=applicant).exists()
    applicant.refresh_from_db()
    assert applicant.notification_channels == ["email"]
    assert AuditEntry.objects.filter(action="accounts.phone_removed").count() == 1


def test_the_pages_need_a_signed_in_account(client):
    assert client.get("/akun/telepon/").status_code == 302
    assert client.post("/akun/telepon/", {"number": NUMBER}).status_code == 302
    assert client.get("/akun/notifikasi/").status_code == 302
    assert not AccountPhone.objects.exists()


REGISTRATION = {
    "full_name": "Sari Pendaftar",
    "email": "sari@example.test",
    "password": "correct-horse-battery-42",
    "password_confirm": "correct-horse-battery-42",
}


def test_a_number_given_at_registration_waits_for_a_code_asked_after_signing_in(client, client_for):
    # when Sari registers with her number
    response = client.post("/akun/daftar/", {**REGISTRATION, "mobile": "0812 3456 7890"})
    assert response.status_code == 302
    # then it waits, and no SMS goes to a number nobody has signed in for
    phone = AccountPhone.objects.get(account__email="sari@example.test")
    assert phone.pending_number == E164
    assert not phone.verified
    assert deliver_codes() == []
    # when she signs in later and asks for the code, then it verifies the number
    sari = phone.account
    signed_in = client_for(sari)
    assert (
        "Kami belum mengirim kode ke nomor ini" in signed_in.get("/akun/telepon/").content.decode()
    )
    assert signed_in.post("/akun/telepon/kode-baru/").status_code == 302
    assert signed_in.post("/akun/telepon/kode/", {"code": deliver_codes()[0]}).status_code == 302
    phone.refresh_from_db()
    assert phone.verified


def test_registration_refuses_a_malformed_number_on_its_field(client):
    response = client.post("/akun/daftar/", {**REGISTRATION, "mobile": "12345"})
    assert response.status_code == 422
    assert "Masukkan nomor ponsel Indonesia" in response.content.decode()
    assert not AccountPhone.objects.exists()
