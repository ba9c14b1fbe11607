"""An account's choice of channels decides where a notification goes: a real
status change (a submitted application), the real outbox, the locmem SMS
gateway and the worker."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from simi.accounts.models import AccountPhone
from simi.accounts.phones import mobile_index
from simi.applications.services import application_create
from simi.applications.tests.complete import submit_complete
from simi.notifications import sms
from simi.notifications.models import Notification
from simi.people.services import PersonData, person_create

NUMBER = "+6281234567890"


def verified(user, number=NUMBER):
    AccountPhone.objects.create(
        account=user, number=number, number_index=mobile_index(number), verified_at=timezone.now()
    )
    return user


def with_identity(user, phone=None):
    user.person = person_create(
        actor=None,
        data=PersonData(
            kind="citizen",
            full_name="Ani Rahmawati Putri",
            nik="1804041708850003",
            address="Pekon Uji",
            phone=phone,
        ),
    )
    user.save(update_fields=["person"])
    return user


def submit(user):
    draft = application_create(
        actor=user, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )
    return submit_complete(actor=user, application=draft)


@pytest.mark.django_db(transaction=True)
def test_a_status_change_reaches_only_the_chosen_sms(client_for, applicant, catalogue, run_jobs):
    # given Ani verified her number and chose SMS only on her page
    with_identity(verified(applicant), phone="081299990000")
    response = client_for(applicant).post("/akun/notifikasi/", {"channels": ["sms"]})
    assert response.status_code == 302
    # when her application is submitted and the worker runs
    submit(applicant)
    run_jobs()
    # then one SMS reaches her verified number (not the identity record's), no e-mail
    assert [(m.channel, m.to) for m in sms.outbox] == [("sms", NUMBER)]
    assert mail.outbox == []
    assert set(Notification.objects.values_list("channel", flat=True)) == {"sms"}


@pytest.mark.django_db
def test_email_and_whatsapp_when_both_are_chosen(client_for, applicant, catalogue):
    with_identity(verified(applicant))
    client_for(applicant).post("/akun/notifikasi/", {"channels": ["email", "whatsapp"]})
    submit(applicant)
    assert set(Notification.objects.values_list("channel", flat=True)) == {"email", "whatsapp"}


@pytest.mark.django_db
def test_an_account_that_never_chose_gets_the_configured_channels(applicant, catalogue):
    # given a verified number but no choice: e-mail and the setting's SMS
    with_identity(verified(applicant))
    submit(applicant)
    assert set(Notification.objects.values_list("channel", flat=True)) == {"email", "sms"}


@pytest.mark.django_db
def test_a_removed_number_stops_the_phone_channels(client_for, applicant, catalogue):
    with_identity(verified(applicant))
    client = client_for(applicant)
    client.post("/akun/notifikasi/", {"channels": ["sms"]})
    client.post("/akun/telepon/hapus/")
    submit(applicant)
    assert set(Notification.objects.values_list("channel", flat=True)) == {"email"}


@pytest.mark.django_db
def test_the_page_offers_sms_only_with_a_verified_number(client_for, applicant):
    client = client_for(applicant)
    page = client.get("/akun/notifikasi/").content.decode()
    assert 'value="sms"' not in page
    assert "SMS dan WhatsApp memerlukan nomor ponsel terverifikasi." in page
    # a hand-made form that asks for SMS anyway is refused
    response = client.post("/akun/notifikasi/", {"channels": ["email", "sms"]})
    assert response.status_code == 422
    applicant.refresh_from_db()
    assert applicant.notification_channels is None
    verified(applicant)
    assert 'value="sms"' in client.get("/akun/notifikasi/").content.decode()


@pytest.mark.django_db
def test_choosing_nothing_is_refused_in_english(client_for, applicant):
    client = client_for(applicant)
    client.cookies["django_language"] = "en"
    response = client.post("/akun/notifikasi/", {})
    assert response.status_code == 422
    assert "Choose at least one way to tell you." in response.content.decode()
