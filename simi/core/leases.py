"""Jobs whose worker is gone go back to the queue.

django-tasks-db marks a job RUNNING when a worker claims it (adding the
worker's id to the row's ``worker_ids``) and never looks at it again: a worker
killed mid-job would leave it RUNNING for ever. The periodic job
``core.recover_abandoned_jobs`` (every ``SIMI_JOB_RECOVERY_SECONDS``) takes
such jobs back. A RUNNING job is abandoned when the worker that claimed it
last

- has a heartbeat row older than ``SIMI_WORKER_STALE_SECONDS`` (killed, or
  its machine lost), or
- has no heartbeat row at all and the job started more than
  ``SIMI_JOB_LEASE_SECONDS`` ago (a worker that never beat, such as
  ``run_worker --batch``).

A worker whose heartbeat is fresh is alive, stopping or not, and its job is
left alone however long it runs. An abandoned job is queued again (jobs are
idempotent: running one again repeats work, never an effect), unless workers
were lost under it ``SIMI_JOB_MAX_ATTEMPTS`` times: then it fails with
``WorkerLost``, so that a job that kills its worker cannot loop for ever.
Every take-back is fenced by the claim's ``started_at``: a job claimed again
meanwhile is not touched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from simi.core.models import WorkerHeartbeat

logger = logging.getLogger("simi.worker")


class WorkerLost(Exception):
    """The workers running this job stopped without finishing it, too often."""


@dataclass
class Recovery:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def job_requeue(job: DBTaskResult) -> bool:
    """Put a job this worker claimed back in the queue (it was interrupted)."""
    return (
        DBTaskResult.objects.filter(
            pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at
        ).update(status=TaskResultStatus.READY)
        == 1
    )


def jobs_recover_abandoned(*, now: datetime | None = None, own_worker: str = "") -> Recovery:
    """Queue again (or fail) every RUNNING job whose worker is gone.

    ``own_worker`` is the worker running this recovery: alive by definition.
    Safe to run any time and on any number of workers at once."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.SIMI_WORKER_STALE_SECONDS)
    lease = now - timedelta(seconds=settings.SIMI_JOB_LEASE_SECONDS)
    beats = dict(WorkerHeartbeat.objects.values_list("worker_id", "last_seen_at"))
    result = Recovery()
    running = DBTaskResult.objects.running().filter(started_at__lt=stale)
    for pk, worker_ids, started_at in running.values_list("pk", "worker_ids", "started_at"):
        worker = worker_ids[-1] if worker_ids else ""
        seen = beats.get(worker)
        if worker and worker == own_worker:
            continue
        if seen is not None and seen >= stale:
            continue  # alive: a long job, or one being finished before a stop
        if started_at is None or (seen is None and started_at >= lease):
            continue  # no heartbeat to judge by: only the long lease
        _take_back(pk, started_at, result)
    return result


@transaction.atomic
def _take_back(pk: UUID, started_at: datetime, result: Recovery) -> None:
    job = (
        DBTaskResult.objects.select_for_update(skip_locked=True, no_key=True)
        .filter(pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at)
        .first()
    )
    if job is None:  # it finished, or was taken back, while we looked
        return
    attempts = len(job.worker_ids)
    details = {"job": str(job.pk), "task": job.task_path, "attempts": attempts}
    if attempts >= settings.SIMI_JOB_MAX_ATTEMPTS:
        job.set_failed(WorkerLost(f"the worker running this job was lost {attempts} times"))
        result.failed.append(str(job.pk))
        logger.warning("job_abandoned_failed", extra=details)
        return
    job.status = TaskResultStatus.READY
    job.save(update_fields=["status"])
    result.requeued.append(str(job.pk))
    logger.warning("job_abandoned_requeued", extra=details)


def purge_job_history(*, now: datetime | None = None) -> dict[str, int]:
    """Forget finished jobs and old periodic slots (core.purge_job_history, daily).

    A successful job goes after ``SIMI_JOB_HISTORY_DAYS``, a failed one after
    ``SIMI_FAILED_JOB_HISTORY_DAYS``; queued and running jobs are never
    touched. A ``ScheduledRun`` row goes after the same days, but never
    before two periods of the longest periodic job have passed: the row of a
    slot still current is what stops a second worker enqueueing it again.
    """
    from simi.core.models import ScheduledRun
    from simi.core.schedule import periodic_tasks

    now = now or timezone.now()
    kept = timedelta(days=settings.SIMI_JOB_HISTORY_DAYS)
    failed_kept = timedelta(days=settings.SIMI_FAILED_JOB_HISTORY_DAYS)
    finished = DBTaskResult.objects.filter(finished_at__isnull=False)
    jobs, _ = finished.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - kept
    ).delete()
    failed, _ = finished.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=now - failed_kept
    ).delete()
    longest = max((job.every_seconds for job in periodic_tasks()), default=0)
    slots_kept = max(kept, timedelta(seconds=2 * longest))
    slots, _ = ScheduledRun.objects.filter(enqueued_at__lt=now - slots_kept).delete()
    purged = {"jobs": jobs, "failed_jobs": failed, "scheduled_runs": slots}
    logger.info("job_history_purged", extra=purged)
    return purged
