"""Issue 13 F5: a worker killed mid-job left its job RUNNING for ever
(django-tasks-db never takes one back). ``core.recover_abandoned_jobs``
(simi.core.leases) gives the job of a worker whose heartbeat went stale back
to the queue, and fails it when workers keep dying under it.
"""

from __future__ import annotations

import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from simi.core.heartbeat import heartbeat_beat
from simi.core.leases import jobs_recover_abandoned
from simi.core.models import WorkerHeartbeat
from simi.core.tasks import ping
from simi.core.tests.jobs import lines
from simi.core.tests.processes import (
    child_env,
    enqueue,
    heartbeats,
    job_state,
    start_worker,
    stoppable_database,
    wait_for,
)

HANGS = "simi.core.tests.jobs.hangs_the_first_time"


@pytest.mark.processes
def test_a_job_whose_worker_was_killed_runs_again_on_another_worker(db, tmp_path):
    fast = {
        "SIMI_WORKER_HEARTBEAT_SECONDS": "1",
        "SIMI_WORKER_STALE_SECONDS": "3",
        "SIMI_JOB_RECOVERY_SECONDS": "1",
    }
    with stoppable_database() as database:
        # given a worker in the middle of a job
        first = start_worker(
            child_env(database.url, SIMI_SCHEDULER="false", **fast), tmp_path / "first.log"
        )
        second = None
        try:
            job = enqueue(database, HANGS, str(tmp_path), "job")
            wait_for(
                lambda: lines(tmp_path, "job.started") == 1,
                timeout=30,
                what=f"the job to start\n{first.output()}",
            )
            # when that worker is killed outright (no cleanup of any kind)
            first.signal(signal.SIGKILL)
            first.wait(timeout=10)
            killed_at = time.monotonic()
            # then its job is still RUNNING and its heartbeat row (written before
            # it took its first job) stays behind
            assert job_state(database, job)[0] == "RUNNING"
            assert len(heartbeats(database)) == 1

            # when another worker runs (its scheduler queues the recovery)
            second = start_worker(child_env(database.url, **fast), tmp_path / "second.log")

            # then the job goes back to the queue once the dead worker's
            # heartbeat is stale, and the new worker runs it to the end, once
            def finished() -> bool:
                assert second is not None
                assert second.alive(), second.output()
                return job_state(database, job)[0] == "SUCCESSFUL"

            wait_for(finished, timeout=40, what=f"the job to be recovered\n{second.output()}")
            recovered_in = time.monotonic() - killed_at
            _status, workers = job_state(database, job)
            assert len(workers) == 2
            assert workers[0] != workers[1]  # another worker took it
            assert lines(tmp_path, "job.started") == 2
            assert lines(tmp_path, "job.done") == 1
            # (stale after 3 s, checked every second, plus the new worker's start-up)
            assert recovered_in < 30, recovered_in
            print(f"recovered {recovered_in:.1f} s after the kill")
        finally:
            first.stop()
            if second is not None:
                second.stop()


def _running(worker_ids: list[str], *, started_ago: timedelta) -> DBTaskResult:
    job = DBTaskResult.objects.get(id=ping.enqueue("x").id)
    for worker_id in worker_ids:
        job.claim(worker_id)
    started = timezone.now() - started_ago
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=started)
    job.refresh_from_db()
    return job


def _beat(worker_id: str, *, ago: timedelta) -> None:
    heartbeat_beat(worker_id=worker_id, started_at=timezone.now())
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen_at=timezone.now() - ago)


def _status(job: DBTaskResult) -> str:
    job.refresh_from_db()
    return str(job.status)


def test_only_the_jobs_of_workers_that_are_gone_are_taken_back(db, settings):
    settings.SIMI_WORKER_STALE_SECONDS = 90
    settings.SIMI_JOB_LEASE_SECONDS = 3600
    # given a job of a worker beating now, however long it has run,
    _beat("alive", ago=timedelta(seconds=5))
    long_job = _running(["alive"], started_ago=timedelta(hours=5))
    # a job of a worker silent for longer than the stale limit,
    _beat("killed", ago=timedelta(minutes=10))
    abandoned = _running(["killed"], started_ago=timedelta(minutes=11))
    # and two jobs of workers that never beat (a batch run), young and past the lease
    young = _running(["batch-1"], started_ago=timedelta(minutes=30))
    old = _running(["batch-2"], started_ago=timedelta(hours=2))

    # when the recovery runs
    result = jobs_recover_abandoned()

    # then the abandoned and the old job are queued again, the others left running
    assert sorted(result.requeued) == sorted([str(abandoned.pk), str(old.pk)])
    assert _status(abandoned) == _status(old) == TaskResultStatus.READY
    assert _status(long_job) == _status(young) == TaskResultStatus.RUNNING
    # and running it again changes nothing
    assert jobs_recover_abandoned().requeued == []


def test_a_job_that_keeps_losing_its_worker_fails(db, settings):
    settings.SIMI_JOB_MAX_ATTEMPTS = 3
    # given a job claimed three times by workers that all died
    for worker_id in ("w1", "w2", "w3"):
        _beat(worker_id, ago=timedelta(hours=1))
    job = _running(["w1", "w2", "w3"], started_ago=timedelta(hours=1))
    # when the recovery runs
    result = jobs_recover_abandoned()
    # then it fails with WorkerLost instead of being queued a fourth time
    assert result.failed == [str(job.pk)]
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED
    assert job.exception_class_path == "simi.core.leases.WorkerLost"


def test_the_recovery_is_a_periodic_job(settings):
    # given the periodic jobs the workers enqueue themselves
    paths = {path: every for _name, path, every in settings.SIMI_PERIODIC_TASKS}
    # then the recovery is one of them, at its configured period
    assert paths["simi.core.tasks.recover_abandoned_jobs"] == settings.SIMI_JOB_RECOVERY_SECONDS
