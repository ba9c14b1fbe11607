"""Run a SIMI background worker: the django-tasks database worker plus a heartbeat."""

from __future__ import annotations

import logging
import os
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from simi.core.heartbeat import HeartbeatThread, heartbeat_forget
from simi.core.schedule import SchedulerThread
from simi.core.worker import Worker

logger = logging.getLogger("simi.worker")


class Command(DbWorkerCommand):
    help = (
        "Run a background worker that takes jobs from the database queue "
        "(SQLite or PostgreSQL) and reports its liveness for /healthz. "
        "Run as many as you like: each job is claimed by exactly one worker, and "
        "periodic jobs (settings.SIMI_PERIODIC_TASKS) are enqueued once per period. "
        "While the database is down the worker waits for it and goes on. "
        "Stop with SIGTERM or Ctrl+C: the job in progress finishes first "
        "(a second signal puts it back in the queue and stops at once)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        worker_id = options["worker_id"]
        heartbeat = HeartbeatThread(worker_id)
        scheduler = SchedulerThread()
        worker = self._worker(options, heartbeat)
        if not options["batch"]:
            # The row exists before the first job is claimed, so that a worker
            # killed at once leaves a row to go stale (simi.core.leases).
            heartbeat.beat_now()
            heartbeat.start()
            if settings.SIMI_SCHEDULER:
                scheduler.start()
        try:
            if options["reload"] and not options["batch"]:
                if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                    worker.configure_signals()  # only the child runs jobs
                run_with_reloader(worker.run)
            else:
                worker.configure_signals()
                worker.run()
        finally:
            for thread in (heartbeat, scheduler):
                thread.stop()
                if thread.is_alive():
                    thread.join(timeout=5)
            try:
                heartbeat_forget(worker_id=worker_id)
            except DatabaseError:  # the database is down: the row goes stale instead
                logger.warning("heartbeat_not_removed", extra={"worker_id": worker_id})
            for connection in connections.all(initialized_only=True):
                with suppress(DatabaseError):
                    connection.close()

    def _worker(self, options: dict[str, Any], heartbeat: HeartbeatThread) -> Worker:
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        return Worker(
            heartbeat=heartbeat,
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
