"""The background worker's loop: django-tasks-db's, made to outlive its database.

django-tasks-db's worker exits when a query fails for any reason but a locked
SQLite file, and marks a job FAILED whatever stopped it. Here:

- **The database goes away** (refused, restarting, a connection dropped; the
  kinds ``simi.core.outage`` names): the worker logs it once, drops its
  connections, waits (0.5 s doubling up to ``SIMI_WORKER_MAX_BACKOFF_SECONDS``)
  and tries again, for as long as it takes; it logs when the database is back.
- **A job meets the outage**: it is not a failure of the job. When the
  database answers again the job goes back to the queue (jobs are idempotent)
  and runs again. Recording a job's end (successful or failed) waits for the
  database the same way; a job that already did its work is not repeated.
- **SIGTERM / SIGINT**: no new job is taken, the heartbeat says "stopping" at
  once (``/healthz`` stops counting this worker), the job in progress
  finishes, and the worker exits 0. A second signal stops the job too: it goes
  back to the queue, and the worker exits 1.
- **A hard kill** (SIGKILL, the machine lost) leaves the job RUNNING and the
  heartbeat row going stale: ``simi.core.leases`` gives the job back to the
  queue once the row is older than ``SIMI_WORKER_STALE_SECONDS``.
"""

from __future__ import annotations

import logging
import random
import signal
import time
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, close_old_connections, connections
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as DbWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from simi.core.heartbeat import HeartbeatThread
from simi.core.leases import job_requeue
from simi.core.outage import is_database_outage, outage_kind

logger = logging.getLogger("simi.worker")

FIRST_PAUSE_SECONDS = 0.5
SLEEP_SLICE_SECONDS = 0.1


class Worker(DbWorker):
    def __init__(self, *, heartbeat: HeartbeatThread | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.heartbeat = heartbeat
        self._down_since: float | None = None
        self._pause = FIRST_PAUSE_SECONDS

    # --- stopping ------------------------------------------------------------

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running:
            logger.warning("worker_forced_stop", extra={"worker_id": self.worker_id})
            self.reset_signals()
            raise SystemExit(1)  # wherever the main thread is, the job included
        logger.warning(
            "worker_stopping",
            extra={"worker_id": self.worker_id, "signal": signal.Signals(signum).name},
        )
        self.running = False
        if self.heartbeat is not None:
            self.heartbeat.mark_stopping()

    def _sleep(self, seconds: float) -> None:
        """Sleep in short slices so that a stop request ends the wait."""
        until = time.monotonic() + seconds
        while self.running and (left := until - time.monotonic()) > 0:
            time.sleep(min(SLEEP_SLICE_SECONDS, left))

    # --- the database going and coming back --------------------------------

    def _database_down(self, error: BaseException) -> None:
        if self._down_since is None:
            self._down_since = time.monotonic()
            logger.warning(
                "worker_database_unavailable",
                extra={"worker_id": self.worker_id, "kind": outage_kind(error)},
            )
        for connection in connections.all(initialized_only=True):
            with suppress(DatabaseError):  # close() forgets the connection either way
                connection.close()
        cap = float(settings.SIMI_WORKER_MAX_BACKOFF_SECONDS)
        pause, self._pause = self._pause, min(self._pause * 2, cap)
        self._sleep(pause * random.uniform(0.8, 1.2))  # noqa: S311 - spreads the workers

    def _database_up(self) -> None:
        if self._down_since is not None:
            logger.warning(
                "worker_database_back",
                extra={
                    "worker_id": self.worker_id,
                    "down_seconds": round(time.monotonic() - self._down_since, 1),
                },
            )
        self._down_since = None
        self._pause = FIRST_PAUSE_SECONDS

    def _until_written(self, write: Callable[[], object], what: str, job: DBTaskResult) -> bool:
        """Run ``write`` until the database takes it; False if the worker
        was told to stop first (the job is then left to the recovery)."""
        while True:
            try:
                write()
            except DatabaseError as error:
                if not is_database_outage(error):
                    raise
                if not self.running:
                    logger.warning(
                        "job_left_running", extra={"job": str(job.id), "unwritten": what}
                    )
                    return False
                self._database_down(error)
                continue
            self._database_up()
            return True

    # --- the loop ----------------------------------------------------------

    def _claim(self) -> DBTaskResult | None:
        close_old_connections()  # drop a connection that died while we slept
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)  # "claim" it for this worker only
        return task_result

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names)
        )
        if self.startup_delay and self.interval:
            self._sleep(random.random())  # noqa: S311 - avoids a thundering herd
        while self.running:
            try:
                task_result = self._claim()
            except DatabaseError as error:
                if not is_database_outage(error):
                    raise
                self._database_down(error)
                continue
            self._database_up()
            if task_result is not None:
                self.run_task(task_result)
            elif self.batch:
                logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Ran the maximum of %d tasks - exiting.", self._run_tasks)
                return
            if task_result is None:
                self._sleep(self.interval)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.running_task = True
        try:
            self._run_task(db_task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _run_task(self, job: DBTaskResult) -> None:
        try:
            task = job.task
            task_result = job.task_result
            task_started.send(sender=task.get_backend(), task_result=task_result)
            if task.takes_context:
                value = task.call(
                    TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                )
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
        except (KeyboardInterrupt, SystemExit):  # a forced stop: not the job's fault
            self.running = False
            self._requeue(job, reason="stopped")
            raise
        except BaseException as error:
            if is_database_outage(error):
                logger.warning(
                    "job_interrupted_by_database", extra={"job": str(job.id), "task": job.task_path}
                )
                self._database_down(error)
                self._requeue(job, reason="database_unavailable")
                return
            if self._until_written(partial(job.set_failed, error), "failed", job):
                self._finished(job)
            return
        try:
            written = self._until_written(partial(job.set_successful, value), "successful", job)
        except Exception as error:  # the return value cannot be stored (not JSON)
            written = self._until_written(partial(job.set_failed, error), "failed", job)
        if written:
            self._finished(job)

    def _requeue(self, job: DBTaskResult, *, reason: str) -> None:
        if self._until_written(lambda: job_requeue(job), "requeued", job):
            logger.warning(
                "job_requeued", extra={"job": str(job.id), "task": job.task_path, "reason": reason}
            )

    def _finished(self, job: DBTaskResult) -> None:
        try:
            sender = type(job.task.get_backend())
            task_result = job.task_result
        except (ImportError, SuspiciousOperation):
            logger.exception("Task id=%s failed unexpectedly", job.id)
        else:
            task_finished.send(sender=sender, task_result=task_result)
