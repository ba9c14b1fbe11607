"""Core background jobs."""

from __future__ import annotations

from django_tasks import task


@task()
def ping(token: str) -> str:
    """Round trip used by operators (and tests) to prove a worker runs jobs."""
    return token
