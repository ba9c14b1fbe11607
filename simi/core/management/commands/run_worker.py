"""Run a SIMI background worker: the django-tasks database worker plus a heartbeat."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from simi.core.heartbeat import HeartbeatThread, heartbeat_forget
from simi.core.schedule import SchedulerThread


class Command(DbWorkerCommand):
    help = (
        "Run a background worker that takes jobs from the database queue "
        "(SQLite or PostgreSQL) and reports its liveness for /healthz. "
        "Run as many as you like: each job is claimed by exactly one worker, and "
        "periodic jobs (settings.SIMI_PERIODIC_TASKS) are enqueued once per period. "
        "Stop with Ctrl+C; the job in progress finishes first."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options["worker_id"]
        heartbeat = HeartbeatThread(worker_id)
        scheduler = SchedulerThread()
        if not options.get("batch"):
            heartbeat.start()
            if settings.SIMI_SCHEDULER:
                scheduler.start()
        try:
            super().handle(*args, **options)
        finally:
            for thread in (heartbeat, scheduler):
                thread.stop()
                if thread.is_alive():
                    thread.join(timeout=5)
            heartbeat_forget(worker_id=worker_id)
