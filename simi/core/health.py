"""What /healthz reports: database reachable, a worker alive, the queue draining."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from simi.core.heartbeat import live_workers


def health_report() -> tuple[bool, dict[str, Any]]:
    checks: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except DatabaseError:
        checks["database"] = {"ok": False}
        return False, checks
    workers = live_workers()
    lag_limit = timezone.now() - timedelta(seconds=settings.SIMI_QUEUE_LAG_SECONDS)
    oldest_ready = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    lagging = oldest_ready is not None and oldest_ready < lag_limit
    checks["worker"] = {
        "ok": workers > 0 and not lagging,
        "alive": workers,
        "queue_lagging": lagging,
    }
    return all(check["ok"] for check in checks.values()), checks
