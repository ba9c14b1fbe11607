"""Two workers delivering the same notification at once: one message."""

import threading

import pytest
from django.core import mail
from django.db import connection

from simi.notifications.delivery import notification_deliver
from simi.notifications.models import DeliveryStatus, Notification
from simi.notifications.services import notify

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_at_once_send_one_email(applicant):
    notify(
        event="decision_approved",
        recipient=applicant,
        key="decision:1",
        params={"tracking_code": "LB7K2M9Q"},
    )
    row = Notification.objects.get()
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    results: list[str] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(notification_deliver(notification_id=row.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["sent", "skipped"]
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT
    assert row.attempts == 1
