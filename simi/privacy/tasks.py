"""Background jobs of the privacy domain: thin, idempotent, ids only."""

from __future__ import annotations

from django_tasks import task

# Jobs queued before the mail moved to mail.py name it here; they still run.
from simi.privacy.mail import notify_overdue_requests  # noqa: F401


@task()
def escalate_overdue_requests() -> int:
    """Periodic: escalate the requests past due (a second run does nothing)."""
    from simi.privacy.services import dsr_escalate_overdue

    return len(dsr_escalate_overdue())


@task()
def purge_expired_records() -> dict[str, int]:
    """Periodic: apply the retention rules."""
    from simi.privacy.retention import retention_purge

    return {result.record_type: result.deleted for result in retention_purge()}
