"""Core background jobs."""

from __future__ import annotations

from django_tasks import TaskContext, task

# The recovery runs before the jobs waiting in a busy queue (0 is the default).
RECOVERY_PRIORITY = 90


@task()
def ping(token: str) -> str:
    """Round trip used by operators (and tests) to prove a worker runs jobs."""
    return token


@task()
def ping_periodic() -> str:
    """A periodic no-op; proves the scheduler enqueues and a worker runs it."""
    return "pong"


@task()
def purge_rate_counters() -> int:
    """Hourly: drop the rate-limit counters of windows that have ended."""
    from simi.core.ratelimit import purge_expired

    return purge_expired()


@task()
def purge_idempotency_records() -> str:
    """Stored answers older than 24 hours go; their keys may be used again."""
    from simi.core.idempotency import purge_expired

    return f"purged {purge_expired()} idempotency records"


@task()
def purge_job_history() -> dict[str, int]:
    """Daily: the queue's memory of finished jobs and periodic slots goes
    after SIMI_JOB_HISTORY_DAYS (failed jobs after SIMI_FAILED_JOB_HISTORY_DAYS,
    kept longer for whoever investigates). Queued and running jobs stay."""
    from simi.core.leases import purge_job_history as purge

    return purge()


@task(priority=RECOVERY_PRIORITY, takes_context=True)
def recover_abandoned_jobs(context: TaskContext) -> dict[str, int]:
    """Periodic: give back to the queue the jobs whose worker is gone (simi.core.leases)."""
    from simi.core.leases import jobs_recover_abandoned

    workers = context.task_result.worker_ids
    result = jobs_recover_abandoned(own_worker=workers[-1] if workers else "")
    return {"requeued": len(result.requeued), "failed": len(result.failed)}
