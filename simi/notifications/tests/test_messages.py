"""Every event has its words, in both languages, and fits in one SMS."""

import pytest

from simi.core.crypto import encrypt
from simi.notifications.events import CODE_CONTEXT, EVENT_SPECS, Event
from simi.notifications.models import Channel, Notification
from simi.notifications.rendering import render_message, render_title

pytestmark = pytest.mark.django_db

SAMPLE = {
    "tracking_code": "LB7K-2M9Q-X4",
    "service_code": "passport-ordinary-10y",
    "due_date": "2026-03-16",
    "reason_code": "no_longer_needed",
    "billing_code": "820260001234567",
    "amount": 1_350_000,
    "expires_at": "2026-03-02T09:00:00+07:00",
    "starts_at": "2026-03-05T08:30:00+07:00",
    "office_code": "kanim-kotabumi",
    "booking_code": "BK-7Q2M",
    "queue_number": "A-017",
    "collect_by": "2026-04-05",
    "permit_kind": "itas",
    "valid_until": "2026-04-30",
    "days_before": 7,
    "documents": "Kartu Keluarga; Akta kelahiran",
}


def _sample(name):
    if name == "code_sealed":  # the one-time code travels encrypted
        return encrypt("123456", context=CODE_CONTEXT)
    return SAMPLE[name]


def _row(user, event, *, link=""):
    spec = EVENT_SPECS[event]
    return Notification.objects.create(
        recipient=user,
        event=event,
        key=f"{event}:1",
        channel=Channel.SMS,
        params={name: _sample(name) for name in spec.allowed},
        link=link,
    )


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("event", Event.values)
def test_every_event_renders_with_its_params(applicant, reference_data, event, language):
    applicant.preferred_language = language
    applicant.save(update_fields=["preferred_language"])
    message = render_message(_row(applicant, event, link="/lacak/LB7K2M9QX4/"))
    assert message.subject
    assert "\n" not in message.subject
    assert "{" not in message.body + message.subject + message.short
    assert "%(" not in message.body + message.subject + message.short
    assert message.short.startswith("SIMI: ")
    assert len(message.short) <= 160, message.short
    assert message.short.isascii()  # GSM-7: one SMS, no UCS-2 surprise
    for name in ("tracking_code", "billing_code", "booking_code"):
        if name in EVENT_SPECS[event].required:
            assert SAMPLE[name] in message.short
    if "office_code" in EVENT_SPECS[event].required:
        assert "Kotabumi" in message.body
    assert "/lacak/LB7K2M9QX4/" in message.body
    if "documents" in EVENT_SPECS[event].allowed:
        assert SAMPLE["documents"] in message.body
    if event == Event.PHONE_CODE:
        assert "123456" in message.short
        assert "code_sealed" not in message.body


def test_indonesian_words_and_local_time(applicant, reference_data):
    message = render_message(_row(applicant, Event.APPOINTMENT_REMINDER))
    assert message.subject == "Pengingat: jadwal kedatangan pada 5 Mar 2026, 08:30 WIB"
    assert "Nomor antrean Anda A-017." in message.body
    assert message.body.startswith(f"Yth. {applicant.full_name},")


def test_the_link_rides_along_in_the_sms_when_it_fits(applicant, settings):
    settings.SIMI_PUBLIC_BASE_URL = "https://simi.example"
    short = render_message(_row(applicant, Event.DECISION_APPROVED, link="/lacak/X/")).short
    assert short.endswith(" https://simi.example/lacak/X/")
    long_link = "/lacak/" + "x" * 150 + "/"
    notification = Notification.objects.get()
    notification.link = long_link
    assert "https://" not in render_message(notification).short


def test_the_title_follows_the_language_asked_for(applicant):
    row = _row(applicant, Event.DECISION_REJECTED)
    assert render_title(row, language="en") == "Decision on application LB7K-2M9Q-X4"
    assert render_title(row, language="id") == "Keputusan atas permohonan LB7K-2M9Q-X4"
