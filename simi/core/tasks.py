"""Core background jobs."""

from __future__ import annotations

from django_tasks import task


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
