"""Periodic jobs, run by the workers themselves (no cron needed).

Each worker's scheduler thread looks at ``settings.SIMI_PERIODIC_TASKS`` every
few seconds. A job is due once per period ("slot"); the worker that manages
to insert the ``ScheduledRun(name, slot)`` row enqueues it, every other worker
hits the unique constraint and skips. The jobs themselves are idempotent, so a
crash between insert and enqueue costs one period, never a double effect.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import suppress
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction
from django.utils.module_loading import import_string

from simi.core.models import ScheduledRun

logger = logging.getLogger("simi.schedule")


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    task_path: str  # dotted path of a django-tasks Task without arguments
    every_seconds: int


def periodic_tasks() -> list[PeriodicTask]:
    return [PeriodicTask(*entry) for entry in settings.SIMI_PERIODIC_TASKS]


def enqueue_due(*, now: float | None = None) -> list[str]:
    """Enqueue every periodic job whose current slot has no run yet."""
    now = time.time() if now is None else now
    enqueued = []
    for job in periodic_tasks():
        slot = int(now // job.every_seconds) * job.every_seconds
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=job.name, slot=slot)
                result = import_string(job.task_path).enqueue()
                run.task_result_id = str(result.id)
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another worker took this slot
        enqueued.append(job.name)
        logger.info("periodic_enqueued", extra={"job": job.name, "slot": slot})
    return enqueued


class SchedulerThread(threading.Thread):
    """Looks for due jobs every few seconds (at least as often as the
    shortest period). Nothing but ``stop()`` ends it: a tick that fails (the
    database is down) is logged and the next one tries again."""

    def __init__(self, interval: float = 5.0) -> None:
        super().__init__(name="scheduler", daemon=True)
        shortest = min((job.every_seconds for job in periodic_tasks()), default=interval)
        self.interval = max(0.5, min(interval, shortest))
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                enqueue_due()
            except Exception as error:
                logger.warning("scheduler_tick_failed", extra={"kind": type(error).__name__})
            finally:
                with suppress(DatabaseError):
                    connection.close()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
