"""Run a SIMI background worker: the django-tasks database worker plus a heartbeat."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from simi.core.heartbeat import HeartbeatThread, heartbeat_forget


class Command(DbWorkerCommand):
    help = (
        "Run a background worker that takes jobs from the database queue "
        "(SQLite or PostgreSQL) and reports its liveness for /healthz. "
        "Run as many as you like: each job is claimed by exactly one worker. "
        "Stop with Ctrl+C; the job in progress finishes first."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options["worker_id"]
        heartbeat = HeartbeatThread(worker_id)
        if not options.get("batch"):
            heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
            if heartbeat.is_alive():
                heartbeat.join(timeout=5)
            heartbeat_forget(worker_id=worker_id)
