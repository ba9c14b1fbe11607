"""Scheduled jobs of applications: thin and idempotent (each re-checks under
a row lock, so a second run or a second worker changes nothing)."""

from __future__ import annotations

from django_tasks import task


@task()
def cancel_uncollected() -> str:
    """Documents not collected within 30 days: withdrawn, application cancelled."""
    from simi.applications.workflow import cancel_uncollected as run

    return f"cancelled {len(run())} uncollected"


@task()
def cancel_overdue_document_requests() -> str:
    """Requested documents that did not come by the deadline: application cancelled."""
    from simi.applications.workflow import cancel_overdue_document_requests as run

    return f"cancelled {len(run())} with overdue documents"
