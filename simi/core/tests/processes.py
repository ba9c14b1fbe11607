"""Real processes for the fault tests: a database that can be stopped and
started again, SIMI's web server (gunicorn with deploy/gunicorn.conf.py) and
its worker (``manage.py run_worker``), each stopped by its own pid.

The database is the one the suite runs on, copied so that it can fail
without harming the suite: on SQLite a copy of the test database in a folder
of its own ("down" = the folder is moved away, so the file cannot be opened);
on PostgreSQL a throwaway PostgreSQL 15 cluster in a temporary folder, loaded
with a dump of the test database ("down" = ``pg_ctl stop -m fast``, which
also ends the connections in use). Every wait here is bounded.
"""

from __future__ import annotations

import http.client
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
PGBIN = Path("/usr/lib/postgresql/15/bin")
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def wait_for(condition: Callable[[], Any], *, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s waiting for {what}")
        time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def suite_database_url() -> str:
    """The suite's own test database, in the form a child process reads."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


class Database:
    url: str
    vendor: str

    def stop(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        raise NotImplementedError

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError


class SqliteDatabase(Database):
    vendor = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "db"
        self.away = folder / "db-away"
        self.folder.mkdir()
        self.path = self.folder / "simi.sqlite3"
        with (
            sqlite3.connect(connection.settings_dict["NAME"]) as source,
            sqlite3.connect(self.path) as copy,
        ):
            source.backup(copy)
        self.url = f"sqlite:///{self.path}"

    def stop(self) -> None:
        self.folder.rename(self.away)

    def start(self) -> None:
        self.away.rename(self.folder)

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.path, timeout=20) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()


class PostgresCluster(Database):
    vendor = "postgresql"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.as_pg: list[str] = []
        if os.getuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(folder, "postgres")
            self.as_pg = ["runuser", "-u", "postgres", "--"]
        self.data = folder / "data"
        self.port = 20000 + random.randrange(20000)
        self.running = False
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self.start()
        self._pg("createdb", "-h", str(folder), "-p", str(self.port), "-U", "postgres", "simi")
        self.url = f"postgres://postgres@/simi?host={folder}&port={self.port}"
        self._load_suite_database()

    def _pg(self, program: str, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            [*self.as_pg, str(PGBIN / program), *args],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        if check and done.returncode != 0:
            raise RuntimeError(f"{program} failed: {(done.stdout + done.stderr)[-2000:]}")
        return done.stdout

    def _load_suite_database(self) -> None:
        """Schema and reference data of the suite's test database."""
        source = urlsplit(suite_database_url())
        query = parse_qs(source.query)
        host = query.get("host", [source.hostname or ""])[0]
        port = query.get("port", [str(source.port or 5432)])[0]
        env = {**os.environ, "PGUSER": source.username or "postgres"}
        if source.password:
            env["PGPASSWORD"] = source.password
        dump = subprocess.run(
            [str(PGBIN / "pg_dump"), "-h", host, "-p", port, "--no-owner", source.path.lstrip("/")],
            capture_output=True, timeout=120, check=True, env=env,
        )  # fmt: skip
        subprocess.run(
            [str(PGBIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.folder),
             "-p", str(self.port), "-U", "postgres", "-d", "simi"],
            input=dump.stdout, capture_output=True, timeout=120, check=True,
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses='' -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off"
        )
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                 "-w", "-t", "60", "start", "-o", options)  # fmt: skip
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")
        self.running = False

    def restart(self) -> None:
        self.stop()
        self.start()

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(
            host=str(self.folder), port=self.port, user="postgres", dbname="simi", autocommit=True
        ) as db:
            cursor = db.execute(sql, params)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def destroy(self) -> None:
        if self.running:
            self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
            self.running = False


@contextmanager
def stoppable_database() -> Iterator[Database]:
    """A copy of the suite's database that the test may stop and start."""
    folder = Path(tempfile.mkdtemp(prefix="simi-fault-"))
    database: Database | None = None
    try:
        if connection.vendor == "postgresql":
            if not (PGBIN / "initdb").exists():
                pytest.skip(f"PostgreSQL 15 server programs are not installed ({PGBIN})")
            database = PostgresCluster(folder)
        else:
            database = SqliteDatabase(folder)
        yield database
    finally:
        if isinstance(database, PostgresCluster):
            database.destroy()
        shutil.rmtree(folder, ignore_errors=True)


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "simi.settings",
        "SIMI_ENV": "test",
        "SIMI_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        **extra,
    }


class Child:
    """A process this test started; stopped (and its group) by its own pid."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("wb") as handle:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def alive(self) -> bool:
        return self.process.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive():
            os.kill(self.pid, sig)

    def wait(self, timeout: float) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        if self.alive():
            self.signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.signal(signal.SIGKILL)
                self.process.wait(timeout=15)
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)  # anything it left in its group


def start_worker(env: dict[str, str], log: Path, *args: str) -> Child:
    command = [sys.executable, "manage.py", "run_worker", "--queue-name", "*", "--no-reload",
               "--interval", "0.2", "--no-startup-delay", *args]  # fmt: skip
    return Child(command, env, log)


def start_web(
    env: dict[str, str], log: Path, *, port: int, workers: int = 1, config: Path | None = None
) -> Child:
    config = config or ROOT / "deploy" / "gunicorn.conf.py"
    command = [GUNICORN, "-c", str(config),
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]  # fmt: skip
    return Child(command, env, log)


def http_get(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        client.request("GET", path, headers=headers or {})
        response = client.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        client.close()


def wait_until_serving(web: Child, port: int) -> None:
    def answers() -> bool:
        assert web.alive(), web.output()
        try:
            http_get(port, "/healthz")
        except OSError:
            return False
        return True

    wait_for(answers, timeout=60, what="the web server")


# --- jobs in a database this process is not connected to ------------------


def enqueue(database: Database, task_path: str, *args: Any, priority: int = 0) -> str:
    """Queue a job straight into ``database`` (as ``Task.enqueue`` would)."""
    import json
    import uuid

    job_id = uuid.uuid4()
    if database.vendor == "sqlite":
        now, never, key = (
            time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
            "9999-01-01 00:00:00",
            job_id.hex,
        )
    else:
        now, never, key = (
            time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime()),
            "9999-01-01 00:00:00+00",
            str(job_id),
        )
    database.query(
        "INSERT INTO django_tasks_database_dbtaskresult (id, status, enqueued_at, args_kwargs,"
        " priority, task_path, worker_ids, queue_name, backend_name, run_after,"
        " exception_class_path, traceback)"
        " VALUES (%s, 'READY', %s, %s, %s, %s, '[]', 'default', 'default', %s, '', '')",
        (key, now, json.dumps({"args": list(args), "kwargs": {}}), priority, task_path, never),
    )
    return key


def job_state(database: Database, job_id: str) -> tuple[str, list[str]]:
    """(status, worker ids) of one job."""
    import json

    status, workers = database.query(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = %s", (job_id,)
    )[0]
    return status, workers if isinstance(workers, list) else json.loads(workers)


def heartbeats(database: Database) -> list[tuple[str, Any]]:
    """(worker id, stopping since) of every heartbeat row."""
    return database.query("SELECT worker_id, stopping_since FROM core_workerheartbeat")
