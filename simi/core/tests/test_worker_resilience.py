"""Issue 13 F4: the worker exited (code 1) when the database went away, idle
or mid-job, and its cleanup raised too; its heartbeat kept /healthz saying
"worker alive" for 90 s after a clean stop.

A real ``manage.py run_worker`` runs on a copy of the suite's database that
each test stops and starts (simi.core.tests.processes).
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone

from simi.core.heartbeat import HeartbeatThread, heartbeat_beat, live_workers
from simi.core.models import WorkerHeartbeat
from simi.core.tests.jobs import lines
from simi.core.tests.processes import (
    Child,
    Database,
    child_env,
    enqueue,
    heartbeats,
    job_state,
    start_worker,
    stoppable_database,
    wait_for,
)

pytestmark = pytest.mark.processes

PING = "simi.core.tasks.ping"
SLOW = "simi.core.tests.jobs.slow_job"


@pytest.fixture
def database(db: None) -> Iterator[Database]:
    with stoppable_database() as database:
        yield database


@pytest.fixture
def worker(database: Database, tmp_path: Path) -> Iterator[Child]:
    env = child_env(
        database.url,
        SIMI_WORKER_HEARTBEAT_SECONDS="1",
        SIMI_WORKER_MAX_BACKOFF_SECONDS="1",
        SIMI_SCHEDULER="false",
    )
    child = start_worker(env, tmp_path / "worker.log")
    try:
        yield child
    finally:
        child.stop()


def _done(database: Database, job: str) -> bool:
    return job_state(database, job)[0] == "SUCCESSFUL"


def _ran(database: Database, worker: Child, job: str, timeout: float = 30) -> None:
    def finished() -> bool:
        assert worker.alive(), worker.output()
        return _done(database, job)

    wait_for(finished, timeout=timeout, what=f"job {job}\n{worker.output()}")


def test_it_waits_out_a_database_outage_idle_and_mid_job(database, worker, tmp_path):
    # given a worker that runs jobs
    _ran(database, worker, enqueue(database, PING, "first"))

    # when the database goes away while it is idle, for longer than a few polls
    database.stop()
    time.sleep(3)
    # then it is still there, and takes the next job once the database is back
    assert worker.alive(), worker.output()
    database.start()
    _ran(database, worker, enqueue(database, PING, "after the outage"))

    # when the database goes away in the middle of a job
    job = enqueue(database, SLOW, str(tmp_path), "mid", 2)
    wait_for(lambda: lines(tmp_path, "mid.started") == 1, timeout=30, what="the job to start")
    database.stop()
    time.sleep(3)  # the job met the outage
    assert worker.alive(), worker.output()
    database.start()
    # then the job is run again once the database is back, and finishes once
    _ran(database, worker, job)
    assert lines(tmp_path, "mid.done") == 1
    _status, workers = job_state(database, job)
    if database.vendor == "postgresql":  # the server ended the job's connection
        assert lines(tmp_path, "mid.started") == 2
        assert len(workers) == 2  # claimed twice, by the same worker
    else:  # SQLite: the file the job had open stays readable where it was moved
        assert lines(tmp_path, "mid.started") == 1
    assert "worker_database_unavailable" in worker.output()


def test_a_clean_stop_turns_health_red_at_once_and_finishes_the_job(database, worker, tmp_path):
    # given a worker in the middle of a job
    _ran(database, worker, enqueue(database, PING, "warm"))
    job = enqueue(database, SLOW, str(tmp_path), "long", 3)
    wait_for(lambda: lines(tmp_path, "long.started") == 1, timeout=30, what="the job to start")
    wait_for(lambda: heartbeats(database), timeout=10, what="its first heartbeat")
    # when it is asked to stop
    worker.signal(signal.SIGTERM)
    # then its heartbeat says "stopping" within a moment (so /healthz stops counting it)
    wait_for(
        lambda: [stopping is not None for _id, stopping in heartbeats(database)] == [True],
        timeout=2,
        what="the heartbeat to say stopping",
    )
    # and it finishes the job, removes its heartbeat and exits 0
    assert worker.wait(timeout=30) == 0, worker.output()
    assert _done(database, job)
    assert lines(tmp_path, "long.done") == 1
    assert heartbeats(database) == []


def test_a_stop_while_the_database_is_down_exits_cleanly(database, worker):
    # given a worker whose database is down
    _ran(database, worker, enqueue(database, PING, "warm"))
    database.stop()
    time.sleep(1.5)
    # when it is asked to stop
    worker.signal(signal.SIGTERM)
    # then it exits 0 without a traceback; its row is left to go stale
    assert worker.wait(timeout=20) == 0, worker.output()
    assert "Traceback" not in worker.output()
    database.start()
    assert len(heartbeats(database)) == 1


def test_health_counts_neither_a_stopping_nor_a_stale_worker(transactional_db, settings):
    # given three workers: beating, stopping, and silent for too long
    now = timezone.now()
    heartbeat_beat(worker_id="beating", started_at=now)
    heartbeat_beat(worker_id="stopping", started_at=now, stopping_since=now)
    heartbeat_beat(worker_id="silent", started_at=now)
    stale = now - timezone.timedelta(seconds=settings.SIMI_WORKER_STALE_SECONDS + 1)
    WorkerHeartbeat.objects.filter(worker_id="silent").update(last_seen_at=stale)
    # then only the first counts
    assert live_workers() == 1


def test_the_heartbeat_says_stopping_at_once(transactional_db, settings):
    # given a heartbeat thread that beats rarely
    settings.SIMI_WORKER_HEARTBEAT_SECONDS = 3600
    thread = HeartbeatThread("w-stops")
    thread.start()
    try:
        wait_for(lambda: WorkerHeartbeat.objects.exists(), timeout=10, what="a first beat")
        assert live_workers() == 1
        # when it is told the worker stops (as the SIGTERM handler does)
        thread.mark_stopping()
        # then it writes so at once, not an hour later, and health stops counting it
        wait_for(
            lambda: WorkerHeartbeat.objects.filter(stopping_since__isnull=False).exists(),
            timeout=5,
            what="the stopping beat",
        )
        assert live_workers() == 0
        assert thread.is_alive()  # it goes on beating until the worker exits
    finally:
        thread.stop()
        thread.join(timeout=5)
