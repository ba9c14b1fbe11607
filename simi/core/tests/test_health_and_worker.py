import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from simi.core.heartbeat import heartbeat_beat
from simi.core.models import WorkerHeartbeat
from simi.core.tasks import ping

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_healthz_is_unhealthy_without_a_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is True
    assert response.json()["checks"]["worker"]["alive"] == 0


@pytest.mark.django_db
def test_healthz_is_green_with_a_fresh_heartbeat(client):
    heartbeat_beat(worker_id="w1", started_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["ok"] is True


@pytest.mark.django_db
def test_a_stale_heartbeat_or_a_stuck_queue_turns_health_red(client):
    heartbeat_beat(worker_id="w1", started_at=timezone.now())
    WorkerHeartbeat.objects.update(last_seen_at=timezone.now() - timedelta(minutes=10))
    assert client.get("/healthz").status_code == 503

    heartbeat_beat(worker_id="w1", started_at=timezone.now())
    ping.enqueue("late")
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
    body = client.get("/healthz").json()
    assert body["checks"]["worker"]["queue_lagging"] is True


@pytest.mark.django_db(transaction=True)
def test_the_in_process_worker_runs_a_queued_job(run_jobs):
    result = ping.enqueue("hello")
    run_jobs()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.return_value == "hello"


def _database_url_for_subprocess() -> str:
    """The test database, in the DATABASE_URL form the worker process reads."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    # Same server and credentials as the suite's DATABASE_URL; only the name differs.
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def _stderr_so_far(worker: subprocess.Popen) -> str:
    worker.terminate()
    return worker.communicate(timeout=30)[1].decode()[-3000:]


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_takes_jobs_and_reports_liveness(client):
    # given a job in the queue and a real worker process on the same database
    result = ping.enqueue("from-a-real-worker")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "simi.settings",
        "SIMI_ENV": "test",
        "DATABASE_URL": _database_url_for_subprocess(),
        "SIMI_WORKER_HEARTBEAT_SECONDS": "1",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "run_worker",
            "--queue-name",
            "*",
            "--no-reload",
            "--interval",
            "0.2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # when we wait for it
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            row = DBTaskResult.objects.get(id=result.id)
            if row.status == "SUCCESSFUL" and WorkerHeartbeat.objects.exists():
                break
            time.sleep(0.2)
        # then it ran the job and /healthz sees it alive
        row = DBTaskResult.objects.get(id=result.id)
        assert row.return_value == "from-a-real-worker", (row.status, _stderr_so_far(worker))
        assert client.get("/healthz").status_code == 200
    finally:
        worker.terminate()
        _out, err = worker.communicate(timeout=30)
    # and a graceful stop removes its heartbeat
    assert not WorkerHeartbeat.objects.exists(), err.decode()[-2000:]
