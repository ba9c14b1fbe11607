"""Running a transaction again when PostgreSQL picked it as a deadlock victim
or refused it with a serialization failure.

Both errors mean the database rolled the whole transaction back and nothing
of it was written, so running the same work again is safe as long as the
work is the entire transaction: ``run_again`` only retries when it is called
outside any ``atomic`` block (an outer transaction would be doomed already).
Work that writes outside the database must not be retried this way; SIMI's
side effects (mail, screening) are jobs written in the same transaction.

The lock order that keeps deadlocks rare is in docs/architecture.md; this
is the net under it, counted by ``simi_deadlock_retries``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection

from simi.core.metrics import deadlock_retried, is_retryable_conflict

T = TypeVar("T")

ATTEMPTS = 4
# Waits grow and are jittered so two victims do not collide again in step.
FIRST_WAIT_SECONDS = 0.02


def run_again(work: Callable[[], T], *, operation: str, attempts: int = ATTEMPTS) -> T:
    """Return ``work()``, running it up to ``attempts`` times while it fails
    with a deadlock or serialization failure; the last failure is raised."""
    if connection.in_atomic_block:
        return work()
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except OperationalError as error:
            if attempt == attempts or not is_retryable_conflict(error):
                raise
            deadlock_retried(operation)
            time.sleep(FIRST_WAIT_SECONDS * 2 ** (attempt - 1) * (0.5 + random.random()))  # noqa: S311
    raise AssertionError("unreachable")  # pragma: no cover
