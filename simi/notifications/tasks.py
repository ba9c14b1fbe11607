"""Background jobs of notifications: thin, idempotent, ids only."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from simi.notifications import delivery


@task()
def deliver_notification(notification_id: int) -> str:
    """Send one notification (a second run, or a run for a sent one, does nothing)."""
    return delivery.notification_deliver(notification_id=notification_id)


def notifications_retry(*, now: datetime | None = None) -> list[int]:
    """Queue delivery of every notification that is due again; returns their ids.
    Safe to repeat: a delivery sends only what it claims."""
    ids = delivery.due_for_retry(now=now)
    for notification_id in ids:
        deliver_notification.enqueue(notification_id)
    return ids


@task()
def retry_failed_notifications() -> int:
    """Periodic: queue the failed deliveries whose back-off has passed."""
    return len(notifications_retry())
