"""Prometheus metrics, served at ``/metrics`` to a scraper holding the token.

Two kinds, and why:

- **Counted where they happen** (this process): request latency by route
  pattern and status class (``MetricsMiddleware``), rate-limit refusals
  (``core.ratelimit``, ``core.credentials``), retries after a deadlock or a
  serialization failure (``deadlock_retried``, for code that retries), jobs a
  worker finished and jobs retried. gunicorn runs several worker processes:
  with ``PROMETHEUS_MULTIPROC_DIR`` set (a fresh, empty folder per start,
  shared by gunicorn and any ``run_worker`` on the same machine) every
  process writes its counts there and a scrape adds them up; gunicorn's
  ``child_exit`` hook (deploy/gunicorn.conf.py) marks a dead worker.
- **Read from the database at scrape time** (``DatabaseCollector``): whether
  the database answers, the queue's depth and the age of its oldest ready
  job, jobs running, failed jobs kept in the queue table, workers alive. One
  number for the whole deployment, whichever process or machine is scraped.

Labels hold only names from the code (route patterns, never a path with its
ids or codes; status classes; bucket, task and queue names): no personal data
and a bounded number of series.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUEST_SECONDS = Histogram(
    "simi_http_request_duration_seconds",
    "Time from the request's arrival to its response, by route pattern and status class.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
RATE_LIMIT_HITS = Counter(
    "simi_rate_limit_hits",
    "Attempts refused by a rate limit or delayed by the credential limiter, by bucket.",
    ["bucket"],
)
DEADLOCK_RETRIES = Counter(
    "simi_deadlock_retries",
    "Transactions run again after a deadlock or serialization failure, by operation.",
    ["operation"],
)
JOBS_FINISHED = Counter(
    "simi_jobs_finished",
    "Background jobs a worker of this machine finished, by task and outcome.",
    ["task", "status"],
)
JOB_RETRIES = Counter(
    "simi_job_retries",
    "Background jobs queued again after a failure or a lost worker, by task.",
    ["task"],
)

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# PostgreSQL's deadlock_detected and serialization_failure.
_RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


def rate_limit_hit(bucket: str) -> None:
    RATE_LIMIT_HITS.labels(bucket=bucket).inc()


def deadlock_retried(operation: str) -> None:
    """Call when ``operation`` (a fixed name, e.g. ``"audit.append"``) runs its
    transaction again after ``is_retryable_conflict`` said so."""
    DEADLOCK_RETRIES.labels(operation=operation).inc()


def job_retried(task: str) -> None:
    """Call when a job (its task path) is queued again after a failure."""
    JOB_RETRIES.labels(task=task).inc()


def is_retryable_conflict(error: BaseException) -> bool:
    """A deadlock or serialization failure (PostgreSQL), or a lock that did
    not come in time (SQLite): the transaction may simply run again."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _RETRYABLE_SQLSTATES
    return "database is locked" in str(error) or "deadlock" in str(error)


def job_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """``django_tasks.signals.task_finished`` receiver (connected by core's app)."""
    JOBS_FINISHED.labels(
        task=str(task_result.task.module_path), status=str(task_result.status).lower()
    ).inc()


def route_of(request: HttpRequest) -> str:
    """The URL pattern that answered (``"permohonan/<uuid:public_id>/"``), never
    the path itself; ``"static"`` for assets; ``"unmatched"`` when no pattern did."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return str(match.route)
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


class MetricsMiddleware:
    """Times every request (outermost, so the whole middleware chain counts)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in _METHODS else "other"
        REQUEST_SECONDS.labels(
            method=method, route=route_of(request), status=f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
        return response


class DatabaseCollector(Collector):
    """What the database says at scrape time (one answer for every process)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("simi_database_up", "1 when the database answered this scrape.")
        started = time.perf_counter()
        try:
            families = list(self._queue())
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families
        took = GaugeMetricFamily(
            "simi_database_scrape_seconds", "Time the database took to answer this scrape."
        )
        took.add_metric([], time.perf_counter() - started)
        yield took

    def _queue(self) -> Iterator[GaugeMetricFamily]:
        # Models are imported here: the counters above are imported by
        # modules that load before the apps (ratelimit, credentials).
        from django_tasks_db.models import DBTaskResult

        from simi.core.heartbeat import live_workers

        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        now = timezone.now()
        depth = GaugeMetricFamily(
            "simi_queue_depth", "Jobs ready to run now, by queue.", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "simi_queue_oldest_age_seconds",
            "Seconds the oldest ready job has waited since it was queued, by queue.",
            labels=["queue"],
        )
        ready = (
            DBTaskResult.objects.ready()
            .order_by()
            .values("queue_name")
            .annotate(jobs=Count("id"), oldest=Min("enqueued_at"))
        )
        for row in ready:
            depth.add_metric([row["queue_name"]], row["jobs"])
            age.add_metric([row["queue_name"]], max(0.0, (now - row["oldest"]).total_seconds()))
        yield depth
        yield age
        running = GaugeMetricFamily(
            "simi_jobs_running", "Jobs a worker is running now, by queue.", labels=["queue"]
        )
        for row in (
            DBTaskResult.objects.running()
            .order_by()
            .values("queue_name")
            .annotate(jobs=Count("id"))
        ):
            running.add_metric([row["queue_name"]], row["jobs"])
        yield running
        failed = GaugeMetricFamily(
            "simi_jobs_failed",
            "Failed jobs kept in the queue table, by task (rises with each failure).",
            labels=["task"],
        )
        for row in (
            DBTaskResult.objects.failed().order_by().values("task_path").annotate(jobs=Count("id"))
        ):
            failed.add_metric([row["task_path"]], row["jobs"])
        yield failed
        workers = GaugeMetricFamily("simi_workers_alive", "Workers that sent a heartbeat recently.")
        workers.add_metric([], live_workers())
        yield workers


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def metrics_payload() -> bytes:
    """The text exposition of every metric: this machine's processes, then the database's."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        counted = generate_latest(registry)
    else:
        counted = generate_latest(REGISTRY)
    scrape = CollectorRegistry(auto_describe=False)
    scrape.register(DatabaseCollector())
    return counted + generate_latest(scrape)


def token_matches(request: HttpRequest) -> bool:
    """The request carries ``Authorization: Bearer <SIMI_METRICS_TOKEN>``; never
    true while no token is set. Compared in constant time (digests of equal length)."""
    expected = settings.SIMI_METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(
        hashlib.sha256(given.strip().encode()).digest(),
        hashlib.sha256(expected.encode()).digest(),
    )


def metrics_response() -> HttpResponse:
    response = HttpResponse(metrics_payload(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
