"""Background jobs of notifications: thin, idempotent, ids only."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_notification(notification_id: int) -> str:
    """Send one notification (a second run, or a run for a sent one, does nothing)."""
    from simi.notifications.services import notification_deliver

    return notification_deliver(notification_id=notification_id)


@task()
def retry_failed_notifications() -> int:
    """Periodic: queue the failed deliveries whose back-off has passed."""
    from simi.notifications.services import notifications_retry

    return len(notifications_retry())
