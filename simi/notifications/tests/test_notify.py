from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from simi.notifications.models import Channel, DeliveryStatus, Notification
from simi.notifications.services import notify
from simi.notifications.tasks import deliver_notification, notifications_retry
from simi.notifications.tests import backends

# The worker drains the real queue, which needs real commits.
pytestmark = pytest.mark.django_db(transaction=True)

SUBMITTED = {"event": "application_submitted", "params": {"tracking_code": "LB7K2M9Q"}}


def _submitted(user, key="application_submitted:app-1", **extra):
    notify(recipient=user, key=key, **SUBMITTED, **extra)


@override_settings(SIMI_PUBLIC_BASE_URL="http://testserver/")
def test_it_emails_the_applicant_after_the_transaction_commits(applicant, run_jobs):
    # when a service raises the event inside its transaction
    with transaction.atomic():
        _submitted(applicant, link="/permohonan/lacak/LB7K2M9Q/")
        # then nothing is queued before the commit
        assert not DBTaskResult.objects.exists()
    run_jobs()
    # then one e-mail reaches her address, with the code and an absolute link
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [applicant.email]
    assert "LB7K2M9Q" in message.subject
    assert "http://testserver/permohonan/lacak/LB7K2M9Q/" in message.body
    row = Notification.objects.get(recipient=applicant)
    assert row.status == DeliveryStatus.SENT
    assert row.attempts == 1
    assert row.sent_at is not None
    assert row.provider_message_id


def test_notifying_twice_with_the_same_key_sends_one_email(applicant, run_jobs):
    _submitted(applicant)
    _submitted(applicant)
    run_jobs()
    _submitted(applicant)
    run_jobs()
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_another_key_is_another_message(applicant, run_jobs):
    _submitted(applicant, key="application_submitted:app-1")
    _submitted(applicant, key="application_submitted:app-2")
    run_jobs()
    assert len(mail.outbox) == 2


def test_a_rolled_back_transaction_sends_nothing_and_leaves_no_row(applicant, run_jobs):
    class Boom(Exception):
        pass

    def service_that_fails_after_notifying() -> None:
        with transaction.atomic():
            _submitted(applicant)
            raise Boom

    with pytest.raises(Boom):
        service_that_fails_after_notifying()
    run_jobs()
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_committed_transaction_sends_once(applicant, run_jobs):
    with transaction.atomic():
        _submitted(applicant)
    run_jobs()
    run_jobs()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Application LB7K2M9Q received"), ("id", "Permohonan LB7K2M9Q diterima")],
)
def test_the_message_is_in_the_recipients_language(applicant, run_jobs, language, expected):
    applicant.preferred_language = language
    applicant.save(update_fields=["preferred_language"])
    _submitted(applicant)
    run_jobs()
    assert mail.outbox[0].subject == expected


def test_a_bill_shows_rupiah_and_local_time(applicant, run_jobs):
    applicant.preferred_language = "en"
    applicant.save(update_fields=["preferred_language"])
    notify(
        event="bill_issued",
        recipient=applicant,
        key="bill_issued:b-1",
        params={
            "billing_code": "820260001234567",
            "amount": 350000,
            "expires_at": "2026-03-02T07:30:00+00:00",
        },
    )
    run_jobs()
    body = mail.outbox[0].body
    assert "Rp350.000" in body
    assert "820260001234567" in body
    assert "14:30 WIB" in body  # 07:30 UTC is 14:30 in Lampung


def test_the_sms_goes_through_the_gateway_with_a_short_text(
    applicant, with_phone, run_jobs, sms_outbox
):
    with_phone(applicant)
    _submitted(applicant)
    run_jobs()
    assert len(sms_outbox) == 1
    sms = sms_outbox[0]
    assert sms.channel == "sms"
    assert sms.to == "+6281234567890"
    assert sms.text.startswith("SIMI: ")
    assert "LB7K2M9Q" in sms.text
    assert len(sms.text) <= 160
    assert len(mail.outbox) == 1
    # the stored row knows the channel, never the number
    row = Notification.objects.get(channel=Channel.SMS)
    assert "081234567890" not in str(row.params) + row.link
    assert row.status == DeliveryStatus.SENT


def test_no_phone_means_no_sms(applicant, run_jobs, sms_outbox):
    _submitted(applicant)
    run_jobs()
    assert sms_outbox == []
    assert list(Notification.objects.values_list("channel", flat=True)) == ["email"]


@override_settings(SIMI_NOTIFICATION_PHONE_CHANNELS=["whatsapp"])
def test_whatsapp_instead_of_sms_when_configured(applicant, with_phone, run_jobs, sms_outbox):
    with_phone(applicant)
    _submitted(applicant)
    run_jobs()
    assert [m.channel for m in sms_outbox] == ["whatsapp"]


def test_the_task_running_twice_sends_once(applicant):
    _submitted(applicant)
    row = Notification.objects.get()
    assert deliver_notification.call(row.pk) == "sent"
    assert deliver_notification.call(row.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_a_queued_job_enqueued_twice_sends_once(applicant, run_jobs):
    _submitted(applicant)
    row = Notification.objects.get()
    deliver_notification.enqueue(row.pk)  # twice more by hand
    deliver_notification.enqueue(row.pk)
    run_jobs()
    assert len(mail.outbox) == 1


@override_settings(SIMI_SMS_BACKEND="simi.notifications.tests.backends.FlakySmsBackend")
def test_a_failed_sms_is_retried_later_and_sent_once(applicant, with_phone, run_jobs, sms_outbox):
    with_phone(applicant)
    backends.failures_left["sms"] = 1
    start = timezone.now()
    with freeze_time(start):
        _submitted(applicant)
        run_jobs()
        row = Notification.objects.get(channel=Channel.SMS)
        assert row.status == DeliveryStatus.FAILED
        assert row.last_error == "gateway_timeout"
        assert row.next_attempt_at > start
        # the retry job before the back-off does nothing
        assert notifications_retry() == []
    with freeze_time(start + timedelta(minutes=2)):
        assert notifications_retry() == [row.pk]
        notifications_retry()  # a second run of the job queues it again: harmless
        run_jobs()
    assert len(sms_outbox) == 1
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT
    assert row.attempts == 2
    assert row.last_error == ""
    assert len(mail.outbox) == 1  # the e-mail went out the first time, once


@override_settings(
    EMAIL_BACKEND="simi.notifications.tests.backends.FlakyEmailBackend",
    SIMI_NOTIFICATION_MAX_ATTEMPTS=2,
)
def test_it_gives_up_after_the_last_attempt(applicant, run_jobs):
    backends.failures_left["email"] = 5
    start = timezone.now()
    with freeze_time(start):
        _submitted(applicant)
        run_jobs()
    with freeze_time(start + timedelta(hours=1)):
        notifications_retry()
        run_jobs()
    with freeze_time(start + timedelta(days=1)):
        assert notifications_retry() == []
    row = Notification.objects.get()
    assert row.status == DeliveryStatus.FAILED
    assert row.attempts == 2
    assert row.next_attempt_at is None
    assert row.last_error == "ConnectionRefusedError"
    backends.failures_left["email"] = 0
    assert mail.outbox == []


def test_a_pending_row_whose_job_was_lost_is_picked_up(applicant, run_jobs):
    start = timezone.now()
    with freeze_time(start):
        _submitted(applicant)
    DBTaskResult.objects.all().delete()  # the queued job is lost (say, a restored backup)
    with freeze_time(start + timedelta(minutes=10)):
        assert len(notifications_retry()) == 1
        run_jobs()
    assert len(mail.outbox) == 1


def test_a_message_repeated_after_its_worker_died_keeps_its_message_id(applicant, run_jobs):
    # given an e-mail handed to the mail server by a worker killed before it
    # could mark the row sent (the row stays "sending")
    start = timezone.now()
    with freeze_time(start):
        _submitted(applicant)
        run_jobs()
    Notification.objects.update(status=DeliveryStatus.SENDING, claimed_at=start, sent_at=None)
    # when the sweep takes it back after the claim's lease and it goes out again
    with freeze_time(start + timedelta(minutes=11)):
        assert len(notifications_retry()) == 1
        run_jobs()
    # then the repeat carries the first one's Message-ID, so mail systems show it once
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    row = Notification.objects.get()
    assert first.extra_headers["Message-ID"] == f"<notification.{row.public_id}@simi.invalid>"
    assert row.status == DeliveryStatus.SENT
    # and any further run of the job sends nothing
    assert deliver_notification.call(row.pk) == "skipped"
    assert len(mail.outbox) == 2


def test_an_inactive_account_gets_nothing(applicant):
    applicant.is_active = False
    applicant.save(update_fields=["is_active"])
    _submitted(applicant)
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"event": "no_such_event", "params": {}}, "unknown"),
        ({"event": "bill_issued", "params": {"billing_code": "1"}}, "missing"),
        ({"event": "application_submitted", "params": {"tracking_code": "X", "nik": "1"}}, "nik"),
        ({"event": "application_submitted", "params": {"tracking_code": ["X"]}}, "str or int"),
    ],
)
def test_a_bad_event_is_a_programming_error(applicant, kwargs, problem):
    with pytest.raises(ValueError, match=problem):
        notify(recipient=applicant, key="k", **kwargs)
    assert not Notification.objects.exists()


def test_a_link_must_stay_on_the_site(applicant):
    with pytest.raises(ValueError, match="site-relative"):
        _submitted(applicant, link="https://evil.example/")
