import logging

import pytest
from django.test import override_settings
from django.utils import timezone
from freezegun import freeze_time

from simi.notifications.models import Notification
from simi.notifications.selectors import notifications_own
from simi.notifications.services import notify

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications"


def _submitted(user, code, *, key=None):
    notify(
        event="application_submitted",
        recipient=user,
        key=key or f"application_submitted:{code}",
        params={"tracking_code": code},
        link=f"/lacak/{code}/",
    )


@override_settings(SIMI_PUBLIC_BASE_URL="https://simi.example")
def test_an_applicant_lists_her_notifications_newest_first_in_her_language(
    applicant, with_phone, client_for
):
    with_phone(applicant)  # e-mail and SMS rows: still one line per event
    start = timezone.now()
    with freeze_time(start):
        _submitted(applicant, "AAAA1111")
    with freeze_time(start.replace(year=start.year + 1)):
        _submitted(applicant, "BBBB2222")
    response = client_for(applicant).get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["title"] for item in body["items"]] == [
        "Application BBBB2222 received",
        "Application AAAA1111 received",
    ]
    assert body["items"][0]["link"] == "https://simi.example/lacak/BBBB2222/"
    assert body["items"][0]["event"] == "application_submitted"
    indonesian = client_for(applicant).get(URL, HTTP_ACCEPT_LANGUAGE="id").json()
    assert indonesian["items"][0]["title"] == "Permohonan BBBB2222 diterima"


def test_nobody_sees_someone_elses_notifications(applicant, other_applicant, client_for):
    _submitted(applicant, "AAAA1111")
    assert client_for(other_applicant).get(URL).json()["count"] == 0
    assert list(notifications_own(actor=other_applicant)) == []


def test_the_list_pages(applicant, client_for):
    for number in range(5):
        _submitted(applicant, f"CODE{number:04d}")
    page = client_for(applicant).get(URL, {"limit": 2, "offset": 4}).json()
    assert page["count"] == 5
    assert len(page["items"]) == 1
    assert client_for(applicant).get(URL, {"offset": 10**9}).json()["items"] == []


def test_anonymous_callers_are_refused(client):
    assert client.get(URL).status_code == 401


def test_the_admin_list_is_read_only(applicant, admin_user, client_for):
    _submitted(applicant, "AAAA1111")
    row = Notification.objects.get()
    admin = client_for(admin_user)
    listing = admin.get("/admin/notifications/notification/")
    assert listing.status_code == 200
    assert "application_submitted" in listing.content.decode()
    assert admin.get("/admin/notifications/notification/add/").status_code == 403
    detail = admin.get(f"/admin/notifications/notification/{row.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()


def test_console_backend_logs_a_masked_number(caplog):
    from simi.notifications.sms import ConsoleSmsBackend

    with caplog.at_level(logging.INFO, logger="simi.notifications"):
        message_id = ConsoleSmsBackend(channel="sms").send("+6281234567890", "SIMI: hello")
    assert message_id
    assert "+6281234567890" not in caplog.text
    assert "+62********890" in caplog.text
    assert "SIMI: hello" in caplog.text


def test_console_backend_never_logs_a_one_time_code(caplog):
    from simi.notifications.sms import ConsoleSmsBackend

    text = "SIMI: Kode verifikasi Anda 482913. Tagihan 820260001234567."
    with caplog.at_level(logging.INFO, logger="simi.notifications"):
        ConsoleSmsBackend(channel="sms").send("+6281234567890", text)
    assert "482913" not in caplog.text
    assert "Kode verifikasi Anda ******." in caplog.text
    assert "820260001234567" in caplog.text  # a billing code is not a secret


def test_file_backend_appends_json_lines_without_the_number(settings, tmp_path):
    import json

    from simi.notifications.sms import FileSmsBackend

    settings.VAR_DIR = tmp_path
    backend = FileSmsBackend(channel="whatsapp")
    backend.send("+6281234567890", "SIMI: one")
    backend.send("+6281234567890", "SIMI: two")
    (outbox,) = (tmp_path / "sms-outbox").iterdir()
    lines = [json.loads(line) for line in outbox.read_text().splitlines()]
    assert [line["text"] for line in lines] == ["SIMI: one", "SIMI: two"]
    assert {line["channel"] for line in lines} == {"whatsapp"}
    assert "6281234567890" not in outbox.read_text()


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+65 9123 4567", "+6591234567"),
    ],
)
def test_numbers_as_typed_become_e164(typed, e164):
    from simi.notifications.sms import to_e164

    assert to_e164(typed) == e164
