"""Worker liveness: each worker process writes a heartbeat row periodically.

``/healthz`` counts the workers whose row is fresh and that were not asked to
stop; the job recovery (``simi.core.leases``) takes back the jobs of a worker
whose row went stale. A worker asked to stop (SIGTERM) marks its row
``stopping_since`` at once, so health turns red while it finishes its job, and
keeps beating until it exits, so that job is not taken back meanwhile. A
clean exit deletes the row; after a hard kill the row stays and is judged by
its age (``SIMI_WORKER_STALE_SECONDS``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from contextlib import suppress
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from simi.core.models import WorkerHeartbeat

logger = logging.getLogger("simi.worker")


def heartbeat_beat(
    *, worker_id: str, started_at: datetime, stopping_since: datetime | None = None
) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:200],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen_at": timezone.now(),
            "stopping_since": stopping_since,
        },
    )


def heartbeat_forget(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def stale_before() -> datetime:
    """A heartbeat older than this belongs to a worker that is gone."""
    return timezone.now() - timedelta(seconds=settings.SIMI_WORKER_STALE_SECONDS)


def live_workers() -> int:
    """Workers that beat recently and take jobs (not stopping)."""
    return WorkerHeartbeat.objects.filter(
        last_seen_at__gte=stale_before(), stopping_since__isnull=True
    ).count()


class HeartbeatThread(threading.Thread):
    """Writes the heartbeat from a daemon thread with its own DB connection.

    Nothing stops it but ``stop()``: a database that is down or a failing
    write is logged and tried again at the next beat."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping_since: datetime | None = None
        self.stopped = threading.Event()
        self._wake = threading.Event()
        self._failing = False

    def run(self) -> None:
        interval = settings.SIMI_WORKER_HEARTBEAT_SECONDS
        while not self.stopped.is_set():
            self._beat()
            self._wake.wait(interval)
            self._wake.clear()

    def _beat(self) -> None:
        try:
            close_old_connections()
            heartbeat_beat(
                worker_id=self.worker_id,
                started_at=self.started_at,
                stopping_since=self.stopping_since,
            )
            if self._failing:
                logger.warning("heartbeat_resumed", extra={"worker_id": self.worker_id})
            self._failing = False
        except Exception as error:  # a busy SQLite file, a database restart: next beat
            if not self._failing:
                logger.warning(
                    "heartbeat_failed",
                    extra={"worker_id": self.worker_id, "kind": type(error).__name__},
                )
            self._failing = True
        finally:
            with suppress(DatabaseError):
                connection.close()

    def beat_now(self) -> None:
        """One beat in the calling thread (before the worker takes jobs)."""
        self._beat()

    def mark_stopping(self) -> None:
        """Called from the signal handler: the next beat, right now, says so."""
        if self.stopping_since is None:
            self.stopping_since = timezone.now()
        self._wake.set()

    def stop(self) -> None:
        self.stopped.set()
        self._wake.set()
