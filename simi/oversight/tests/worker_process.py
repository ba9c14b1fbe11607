"""A real worker process (``manage.py run_worker``) on the test database, for
tests that must kill one in the middle of a job. Works where the test
database is a file (SQLite) or a server (PostgreSQL); elsewhere it skips."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def database_url() -> str:
    """The test database in the DATABASE_URL form the worker process reads."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        if name == ":memory:" or "mode=memory" in name:
            pytest.skip("an in-memory SQLite database cannot be shared with a worker process")
        return f"sqlite:///{name}"
    if "DATABASE_URL" not in os.environ:
        pytest.skip("no DATABASE_URL to give the worker process")
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def worker_process(**settings_env: str) -> Iterator[subprocess.Popen[bytes]]:
    """A worker taking every queue, without the periodic scheduler (the test
    decides what runs), with ``settings_env`` as extra environment; killed
    when the block ends if it still runs."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "simi.settings",
        "SIMI_ENV": "test",
        "DATABASE_URL": database_url(),
        "SIMI_SCHEDULER": "0",
        "SIMI_WORKER_HEARTBEAT_SECONDS": "1",
        **settings_env,
    }
    command = [sys.executable, "manage.py", "run_worker", "--queue-name", "*"]
    worker = subprocess.Popen(
        [*command, "--no-reload", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.communicate(timeout=30)


def kill_when(
    worker: subprocess.Popen[bytes], ready: Callable[[], bool], *, timeout: float = 90
) -> None:
    """Kill the worker with SIGKILL (no clean-up of any kind) as soon as
    ``ready()`` holds; fail with its stderr if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
            return
        if worker.poll() is not None:
            break
        time.sleep(0.02)
    worker.kill()
    stderr = worker.communicate(timeout=30)[1].decode()[-3000:]
    pytest.fail(f"the worker never reached the moment to kill it:\n{stderr}")
