"""Worker liveness: each worker process writes a heartbeat row periodically."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from simi.core.models import WorkerHeartbeat

logger = logging.getLogger("simi.worker")


def heartbeat_beat(*, worker_id: str, started_at: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:200],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen_at": timezone.now(),
        },
    )


def heartbeat_forget(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def live_workers() -> int:
    cutoff = timezone.now() - timedelta(seconds=settings.SIMI_WORKER_STALE_SECONDS)
    return WorkerHeartbeat.objects.filter(last_seen_at__gte=cutoff).count()


class HeartbeatThread(threading.Thread):
    """Writes the heartbeat from a daemon thread with its own DB connection."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = settings.SIMI_WORKER_HEARTBEAT_SECONDS
        while not self.stopped.is_set():
            try:
                close_old_connections()
                heartbeat_beat(worker_id=self.worker_id, started_at=self.started_at)
            except DatabaseError:
                # A busy SQLite file or a database restart: try again next beat.
                logger.warning("heartbeat_failed", extra={"worker_id": self.worker_id})
            finally:
                connection.close()
            self.stopped.wait(interval)

    def stop(self) -> None:
        self.stopped.set()
