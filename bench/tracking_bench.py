"""Public tracking endpoint benchmark: SIMI under gunicorn against a bare WSGI function.

``GET /api/v1/track/{tracking_code}`` served by SIMI in production mode
(SIMI_ENV=production, DEBUG off, the JSON access log on) under gunicorn with
deploy/gunicorn.conf.py and 2 workers, beside a baseline measured in the same
run: a plain WSGI callable (``bare_application`` below) served by the same
gunicorn settings that runs the same indexed look-up with psycopg directly
(the application by tracking code, joined to its service and office, then its
events) and answers JSON. wrk drives each with 64 connections from one
thread, at random tracking codes of the data set.

The database is PostgreSQL: the server DATABASE_URL names if it is one (a
throwaway ``<name>_track_bench`` database is created on it and dropped), else a
throwaway PostgreSQL 15 cluster started under /tmp exactly like .ci/run does.
It is migrated and filled with BENCH_TRACK_APPS submitted applications
(default 20,000) with 2-8 timeline events each (about 5 on average).

Every request comes the way it would through the reverse proxy: from
127.0.0.1 (a trusted proxy) with X-Forwarded-For naming one of 65,536 client
addresses at random, so SIMI's rate limit runs with its production threshold
(30 look-ups a minute per address, one shared counter row per address in
PostgreSQL) and no address comes near it. Keys are temporary and reach the
server in the environment, as in production.

Printed per server: requests/s, p50 and p99 at saturation (64 connections
that each send the next request as soon as answered) and the req/s ratio to
the bare baseline (median of per-round ratios); the CPU time of the gunicorn
workers per request, which stays meaningful when other processes share the
CPUs. Then latency below saturation: both servers paced at a quarter and at
half of SIMI's saturated rate by 64 clients of this script's own (``--pace``;
wrk's think time would hold a sync worker idle, see "paced load" below), which
is where the p99 target is judged: at saturation, 64 waiting connections make
the latency 64 / throughput for any server. Worker classes sync (production
default) and gthread are compared, and SIMI with its access log off, to show
what the log costs.

    .venv/bin/python bench/run.py tracking      (or: make bench)
    BENCH_TRACK_SECONDS=10      measured seconds per run (after a 2 s warm-up)
    BENCH_TRACK_ROUNDS=3        runs per server, alternating; medians are shown
    BENCH_TRACK_CLASSES=sync,gthread   gunicorn worker classes to compare
    BENCH_TRACK_APPS=20000      applications in the data set

Needs wrk (``apt-get install wrk``); without it the bench says so and skips.
"""

from __future__ import annotations

import functools
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
PGBIN = Path("/usr/lib/postgresql/15/bin")
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
RESULTS = ROOT / "bench" / "results" / "tracking.json"

APPLICATIONS = int(os.environ.get("BENCH_TRACK_APPS", "20000"))
SECONDS = int(os.environ.get("BENCH_TRACK_SECONDS", "10"))
WARMUP_SECONDS = 2
ROUNDS = int(os.environ.get("BENCH_TRACK_ROUNDS", "3"))
CLASSES = [c for c in os.environ.get("BENCH_TRACK_CLASSES", "sync,gthread").split(",") if c]
CONNECTIONS = 64
WORKERS = 2
# The production default (deploy/gunicorn.conf.py) the target is judged on.
PRODUCTION_CLASS = "sync"
CLIENT_ADDRESSES = 65536  # 10.0.0.0/16, one citizen each
TRACK_PREFIX = "/api/v1/track/"
TARGET_RATIO = 0.4
TARGET_P99_MS = 20.0


# --- the baseline: a bare WSGI function -----------------------------------
# Imported by gunicorn as ``tracking_bench:bare_application`` (with --pythonpath
# bench); it needs only psycopg and BENCH_BARE_DSN, never Django.

_APPLICATION_SQL = (
    "SELECT a.id, a.tracking_code, a.status, a.submitted_at, a.sla_due_date,"
    " s.name_id, o.name"
    " FROM applications_application a"
    " JOIN catalog_servicetype s ON s.id = a.service_type_id"
    " JOIN core_office o ON o.id = a.office_id"
    " WHERE a.tracking_code = %s"
)
_EVENTS_SQL = (
    "SELECT at, status_to, note FROM applications_applicationevent"
    " WHERE application_id = %s ORDER BY at, id"
)
_local = threading.local()


def _bare_connection() -> Any:
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        import psycopg

        connection = psycopg.connect(os.environ["BENCH_BARE_DSN"], autocommit=True)
        _local.connection = connection
    return connection


def bare_application(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    path = environ.get("PATH_INFO", "")
    row = None
    if path.startswith(TRACK_PREFIX):
        code = path[len(TRACK_PREFIX) :].replace("-", "").upper()
        with _bare_connection().cursor() as cursor:
            cursor.execute(_APPLICATION_SQL, (code,))
            row = cursor.fetchone()
            if row is not None:
                cursor.execute(_EVENTS_SQL, (row[0],))
                events = cursor.fetchall()
    if row is None:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"error": "not found"}']
    body = json.dumps(
        {
            "tracking_code": row[1],
            "status": row[2],
            "submitted_at": row[3].isoformat(),
            "sla_due_date": row[4].isoformat(),
            "service_name": row[5],
            "office_name": row[6],
            "timeline": [
                {"at": at.isoformat(), "status": status, "note": note}
                for at, status, note in events
            ],
        }
    ).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


# --- the data set (runs in a subprocess with the server's environment) ----

_SYLLABLES = ["ba", "bu", "di", "ka", "la", "ma", "na", "ni", "ra", "ri", "sa", "si", "ta", "ti",
              "wa", "ya", "har", "jo", "no", "to", "ko"]  # fmt: skip
# (status, public note) along the workflow; an application stops at a random
# step (2 to 8 events), never where a decision or an issued document is needed.
_PATH = [("draft", "created"), ("registered", "submitted"),
         ("verifying", "verification_started"), ("more_documents_requested", "documents_requested"),
         ("verifying", "documents_sent"), ("interview", "verified"),
         ("awaiting_payment", "interviewed"), ("paid", "paid")]  # fmt: skip


def _name(rng: random.Random) -> str:
    words = rng.randint(2, 3)
    return " ".join(
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).title()
        for _ in range(words)
    )


def seed(count: int, codes_path: Path) -> None:
    """``count`` submitted applications with their events; the codes to ``codes_path``."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simi.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from simi.accounts.models import User
    from simi.accounts.roles import Role
    from simi.applications.models import Application, ApplicationEvent, EventNote
    from simi.catalog.models import ServiceType
    from simi.core import trackingcodes
    from simi.core.crypto import blind_index
    from simi.people.models import Person
    from simi.people.services import NIK_INDEX

    rng = random.Random(3)
    offers = [
        (service.pk, office.pk)
        for service in ServiceType.objects.all()
        for office in service.offices.all()
    ]
    if not offers:
        raise RuntimeError("the catalogue is empty: did the migrations load it?")
    people = max(1, count // 10)
    unusable = make_password(None)
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bench{i:06d}@bench.simi.invalid",
                    full_name="Bench Applicant",
                    role=Role.APPLICANT,
                    password=unusable,
                )
                for i in range(people)
            ],
            batch_size=2000,
        )
        persons = Person.objects.bulk_create(
            [
                Person(
                    kind=Person.Kind.CITIZEN,
                    full_name=_name(rng),
                    nik=f"1804{i:012d}",
                    nik_index=blind_index(NIK_INDEX, f"1804{i:012d}"),
                    nationality="IDN",
                )
                for i in range(people)
            ],
            batch_size=2000,
        )
        codes: list[str] = []
        now = timezone.now()
        for first in range(0, count, 2000):
            apps: list[Application] = []
            steps: list[list[tuple[str, str]]] = []
            for i in range(first, min(first + 2000, count)):
                owner = i % people
                service_id, office_id = rng.choice(offers)
                submitted = now - timedelta(days=rng.uniform(1, 60))
                path = _PATH[: rng.randint(2, 8)]
                code = trackingcodes.generate()
                codes.append(code)
                steps.append(path)
                apps.append(
                    Application(
                        tracking_code=code,
                        service_type_id=service_id,
                        office_id=office_id,
                        applicant_id=users[owner].pk,
                        person_id=persons[owner].pk,
                        status=path[-1][0],
                        fee_total_at_submit=350000,
                        sla_working_days=3,
                        sla_due_date=(submitted + timedelta(days=5)).date(),
                        submitted_at=submitted,
                    )
                )
            Application.objects.bulk_create(apps)
            events = []
            for app, path in zip(apps, steps, strict=True):
                at = (app.submitted_at or now) - timedelta(minutes=30)
                previous = ""
                for step, (status, note) in enumerate(path):
                    events.append(
                        ApplicationEvent(
                            application_id=app.pk,
                            at=at,
                            status_from=previous,
                            status_to=status,
                            actor_role="applicant" if step < 2 else "front_desk",
                            # Tolerate a renamed note: any known one has the same size.
                            note=note if note in EventNote.values else EventNote.SUBMITTED,
                        )
                    )
                    previous = status
                    at += timedelta(hours=rng.uniform(1, 30))
            ApplicationEvent.objects.bulk_create(events, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    codes_path.write_text("".join(trackingcodes.display(c) + "\n" for c in codes))


# --- PostgreSQL ------------------------------------------------------------


def _run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, check=False, text=True, capture_output=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return done


@contextmanager
def _postgres() -> Iterator[str]:
    """A DATABASE_URL for a throwaway PostgreSQL database; dropped afterwards."""
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(given)
        name = f"{parts.path.lstrip('/') or 'simi'}_track_bench"
        url = urlunsplit(parts._replace(path=f"/{name}"))
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            yield url
        finally:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    if not (PGBIN / "initdb").exists():
        raise RuntimeError(f"PostgreSQL 15 is not installed ({PGBIN}); or set DATABASE_URL")
    folder = Path(tempfile.mkdtemp(prefix="simi-track-bench-pg."))
    as_pg: list[str] = []
    if os.getuid() == 0:
        shutil.chown(folder, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    port = 20000 + random.randrange(20000)
    started = False
    try:
        _run([*as_pg, str(PGBIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
              "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])  # fmt: skip
        options = (
            f"-p {port} -k {folder} -c listen_addresses='' -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        _run([*as_pg, str(PGBIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
              "-w", "start", "-o", options])  # fmt: skip
        started = True
        _run([*as_pg, str(PGBIN / "createdb"), "-h", str(folder), "-p", str(port),
              "-U", "postgres", "simi"])  # fmt: skip
        yield f"postgres://postgres@/simi?host={folder}&port={port}"
    finally:
        if started:
            subprocess.run(
                [*as_pg, str(PGBIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(folder, ignore_errors=True)


# --- servers and load ------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """One gunicorn master (and its workers), stopped by its own pid."""

    def __init__(self, label: str, app: str, env: dict[str, str], worker_class: str,
                 log: Path) -> None:  # fmt: skip
        self.label = label
        self.port = _free_port()
        self.log = log
        command = [GUNICORN, "-c", str(CONFIG), "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(WORKERS), "--worker-class", worker_class]  # fmt: skip
        if app.startswith("tracking_bench:"):
            command += ["--pythonpath", str(ROOT / "bench")]
        command.append(app)
        with log.open("w") as handle:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches the bench, which stops it
            )

    def wait_ready(self, code: str) -> None:
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.label} exited:\n{self.log.read_text()[-3000:]}")
            try:
                status, body = self.get(TRACK_PREFIX + code)
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.label} never answered") from None
                time.sleep(0.2)
                continue
            if status != 200 or b'"timeline"' not in body:
                log = self.log.read_text()[-3000:]
                raise RuntimeError(f"{self.label} answered {status}: {body[:300]!r}\n{log}")
            return

    def get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def cpu_seconds(self) -> float:
        """CPU time used so far by the workers, recycled ones included (Linux /proc)."""

        def times(pid: int) -> list[int]:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return [int(value) for value in fields[11:15]]  # utime stime cutime cstime

        pid = self.process.pid
        ticks = sum(times(pid)[2:])  # workers that ended and were reaped
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            with suppress(FileNotFoundError):  # ended just now
                ticks += sum(times(int(child))[:2])
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


_LUA = """
local codes = {}
for line in io.lines("%(codes)s") do codes[#codes + 1] = line end
math.randomseed(%(seed)d)
local clients = {}
for n = 0, %(clients)d - 1 do
  clients[#clients + 1] = "10.0." .. math.floor(n / 256) .. "." .. (n %% 256)
end
request = function()
  local headers = {["X-Forwarded-Proto"] = "https",
                   ["X-Forwarded-For"] = clients[math.random(#clients)]}
  return wrk.format("GET", "%(prefix)s" .. codes[math.random(#codes)], headers)
end
"""
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(port: int, script: Path, seconds: int) -> dict[str, Any]:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", str(script),
               f"http://127.0.0.1:{port}/"]  # fmt: skip
    output = subprocess.run(command, check=True, text=True, capture_output=True).stdout
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if "99" not in percentiles or "Requests/sec" not in output:
        raise RuntimeError(f"wrk gave no figures:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "p50_ms": _ms(percentiles["50"]),
        "p99_ms": _ms(percentiles["99"]),
        "requests": total,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def _keys(folder: Path, var: Path) -> dict[str, str]:
    """Temporary keys, made the way `make check-deploy` makes them, handed over the way
    production takes them: in the environment (docs/security.md)."""
    env = {**os.environ, "SIMI_ENV": "development", "SIMI_KEY_DIR": str(folder),
           "SIMI_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "simi.settings"}  # fmt: skip
    env.pop("DATABASE_URL", None)
    code = (
        "import django; django.setup(); from simi.core import keys; "
        "keys.data_keyring(); keys.index_key(); keys.signing_key(); keys.seal_key()"
    )
    _run([PYTHON, "-c", code], cwd=ROOT, env=env)
    files = {"SIMI_DATA_KEYS": "data-keys.json", "SIMI_INDEX_KEY": "index-key",
             "SIMI_SIGNING_KEY": "signing-key.pem", "SIMI_SEAL_KEY": "seal-key.pem"}  # fmt: skip
    return {name: (folder / file).read_text().strip() for name, file in files.items()}


def _median(rows: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(row[key] for row in rows))


def _measure(servers: list[Server], script: Path) -> dict[str, list[dict[str, Any]]]:
    """ROUNDS runs per server, alternating so drifting background load hits all alike."""
    for server in servers:  # warm-up: connections, caches, compiled queries
        wrk(server.port, script, WARMUP_SECONDS)
    runs: dict[str, list[dict[str, Any]]] = {server.label: [] for server in servers}
    for round_ in range(ROUNDS):
        order = servers if round_ % 2 == 0 else list(reversed(servers))
        for server in order:
            cpu = server.cpu_seconds()
            result = wrk(server.port, script, SECONDS)
            result["cpu_ms"] = (server.cpu_seconds() - cpu) / result["requests"] * 1000
            if result["non_2xx"]:
                raise RuntimeError(f"{server.label}: {result['non_2xx']} answers were not 2xx")
            runs[server.label].append(result)
    return runs


def _row(worker_class: str, label: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "worker_class": worker_class,
        "server": label,
        "rps": _median(rows, "rps"),
        "p50_ms": _median(rows, "p50_ms"),
        "p99_ms": _median(rows, "p99_ms"),
        "cpu_ms": _median(rows, "cpu_ms"),
        "runs": rows,
    }


def _environment(work: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "SIMI_ENV": "production",
        "SIMI_SECRET_KEY": "bench-only-" + secrets.token_urlsafe(40),
        "SIMI_ALLOWED_HOSTS": "127.0.0.1",
        "SIMI_KEY_DIR": str(work / "no-keys"),  # keys come from the environment
        "SIMI_VAR_DIR": str(work / "var"),
        "SIMI_LOG_LEVEL": "INFO",
        "DATABASE_URL": database_url,
        "BENCH_BARE_DSN": database_url,
        "DJANGO_SETTINGS_MODULE": "simi.settings",
    }


def main() -> None:
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk): tracking bench SKIPPED")
        return
    if not Path(GUNICORN).exists():
        print(f"gunicorn is not installed in {GUNICORN}: tracking bench SKIPPED")
        return
    with ExitStack() as stack:  # unwinds on errors and Ctrl-C: servers, then the database
        work = Path(tempfile.mkdtemp(prefix="simi-track-bench."))
        stack.callback(shutil.rmtree, work, ignore_errors=True)
        database_url = stack.enter_context(_postgres())
        env = {**_environment(work, database_url), **_keys(work / "keys", work / "var")}
        started = time.perf_counter()
        _run([PYTHON, "manage.py", "migrate", "--no-input"], cwd=ROOT, env=env)
        codes = work / "codes.txt"
        _run([PYTHON, __file__, "--seed", str(APPLICATIONS), str(codes)], cwd=ROOT, env=env)
        version = _run([PYTHON, "-c", "import psycopg, os; print(psycopg.connect(os.environ["
                        "'DATABASE_URL']).execute('show server_version').fetchone()[0])"],
                       env=env).stdout.split()[0]  # fmt: skip
        all_codes = codes.read_text().split()
        print(
            f"PostgreSQL {version}: {len(all_codes):,} submitted applications with ~5 events "
            f"each, migrated and loaded in {time.perf_counter() - started:.0f} s"
        )
        script = work / "track.lua"
        script.write_text(
            _LUA % {"codes": codes, "seed": 7, "prefix": TRACK_PREFIX, "clients": CLIENT_ADDRESSES}
        )
        print(
            f"gunicorn, {WORKERS} workers, deploy/gunicorn.conf.py; wrk -t1 -c{CONNECTIONS}, "
            f"{SECONDS} s per run after a {WARMUP_SECONDS} s warm-up, {ROUNDS} rounds "
            "alternating (medians shown), random existing tracking codes"
        )
        print(
            "SIMI: SIMI_ENV=production, DEBUG off, JSON access log on; rate limit at its "
            f"production 30/min per address, clients spread over {CLIENT_ADDRESSES:,} addresses "
            "in X-Forwarded-For"
        )
        load = os.getloadavg()[0]
        print(
            f"{os.cpu_count()} CPUs; load average before: {load:.2f}"
            + ("  (other processes are busy: absolute figures are low)" if load > 0.5 else "")
        )
        quiet = {**env, "SIMI_LOG_LEVEL": "WARNING"}
        servers: list[tuple[str, Server]] = []
        for worker_class in CLASSES:
            variants = [
                ("bare WSGI + psycopg", "tracking_bench:bare_application", env),
                ("SIMI", "simi.wsgi:application", env),
            ]
            if worker_class == PRODUCTION_CLASS:
                variants.append(("SIMI, access log off", "simi.wsgi:application", quiet))
            for label, app, server_env in variants:
                log = work / f"server-{len(servers)}.log"
                server = Server(f"{worker_class}: {label}", app, server_env, worker_class, log)
                stack.callback(server.stop)
                servers.append((worker_class, server))
        for _, server in servers:
            server.wait_ready(all_codes[0])
        # Every server runs in every round, so drifting background load hits all alike.
        runs = _measure([server for _, server in servers], script)
        results = [
            _row(worker_class, server.label.split(": ", 1)[1], runs[server.label])
            for worker_class, server in servers
        ]
        production = [
            server
            for worker_class, server in servers
            if worker_class == PRODUCTION_CLASS and "access log off" not in server.label
        ]
        for _, server in servers:
            if server not in production:
                server.stop()
        logged = sum(1 for _ in production[-1].log.open()) if production else 0
        print(f"SIMI ({PRODUCTION_CLASS}) wrote {logged:,} JSON access log lines")
        _report_saturated(results)
        paced = _paced(production, results, codes) if production else []
        for server in production:
            server.stop()
        _report_paced(results, paced)
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps({"saturated": results, "paced": paced}, indent=2) + "\n")
        print(f"figures written to {RESULTS.relative_to(ROOT)}")


PACED_SHARES = (0.25, 0.5)  # of SIMI's saturated rate


def _paced(servers: list[Server], results: list[dict[str, Any]], codes: Path) -> list[dict]:
    """Both servers at the same offered loads, below what SIMI sustains; ROUNDS
    runs each, alternating, medians kept."""
    simi = next(
        r for r in results if r["worker_class"] == PRODUCTION_CLASS and r["server"] == "SIMI"
    )
    rows = []
    for share in PACED_SHARES:
        offered = max(10.0, round(simi["rps"] * share, -1))
        runs: dict[str, list[dict[str, Any]]] = {server.label: [] for server in servers}
        for round_ in range(ROUNDS):
            order = servers if round_ % 2 == 0 else list(reversed(servers))
            for server in order:
                command = [PYTHON, __file__, "--pace", str(server.port), str(offered),
                           str(SECONDS), str(codes)]  # fmt: skip
                cpu = server.cpu_seconds()
                result = json.loads(_run(command).stdout)
                result["cpu_ms"] = (server.cpu_seconds() - cpu) / max(1, result["answered"]) * 1000
                if result["non_2xx"]:
                    raise RuntimeError(f"{server.label}: {result['non_2xx']} answers not 2xx")
                runs[server.label].append(result)
        for label, measured in runs.items():
            row = _row(PRODUCTION_CLASS, label.split(": ", 1)[1], measured)
            rows.append({**row, "offered_rps": offered, "share": share})
    return rows


# --- paced load ------------------------------------------------------------
# wrk's think time ("delay") falls between connecting and sending, and a sync
# worker that has accepted a connection waits for its request: each paced
# connection held a worker idle for its whole think time, so wrk's paced
# latencies measured wrk, not the server. Real clients (and the reverse proxy
# that fronts gunicorn in production) connect when they have a request to
# send, so the paced load below does exactly that: CONNECTIONS clients, each
# thinks a random (exponential) time, then connects, asks for a random code,
# reads the whole answer and closes. Latency is connect-to-last-byte.


class _Exchange:
    """One request on a fresh connection (asyncio protocol: no stream objects)."""

    def __init__(self, request: bytes, done: Any) -> None:
        self.request = request
        self.done = done
        self.head = b""

    def connection_made(self, transport: Any) -> None:
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        if len(self.head) < 12:
            self.head += data[:12]

    def eof_received(self) -> None:
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_result(self.head)

    def pause_writing(self) -> None: ...
    def resume_writing(self) -> None: ...


async def _pace_clients(port: int, rate: float, seconds: float, codes: list[str]) -> dict:
    import asyncio

    loop = asyncio.get_running_loop()
    think = CONNECTIONS / rate  # mean seconds between one client's requests
    measure_from = loop.time() + WARMUP_SECONDS
    until = measure_from + seconds
    latencies: list[float] = []
    failures: list[bytes] = []
    answered = 0

    async def client(number: int) -> None:
        nonlocal answered
        rng = random.Random(number)
        await asyncio.sleep(rng.uniform(0, think))
        while loop.time() < until:
            address = rng.randrange(CLIENT_ADDRESSES)
            request = (
                f"GET {TRACK_PREFIX}{rng.choice(codes)} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"X-Forwarded-Proto: https\r\nX-Forwarded-For: 10.0.{address >> 8}.{address & 255}"
                "\r\nConnection: close\r\n\r\n"
            ).encode()
            done = loop.create_future()
            begun = loop.time()
            exchange = functools.partial(_Exchange, request, done)
            await loop.create_connection(exchange, "127.0.0.1", port)
            head = await done
            ended = loop.time()
            answered += 1
            if begun >= measure_from and ended <= until:
                latencies.append(ended - begun)
                if not head.startswith(b"HTTP/1.1 200"):
                    failures.append(head)
            await asyncio.sleep(rng.expovariate(1 / think))

    await asyncio.gather(*(client(n) for n in range(CONNECTIONS)))
    latencies.sort()
    count = len(latencies)
    return {
        "rps": count / seconds,
        "p50_ms": latencies[count // 2] * 1000,
        "p99_ms": latencies[min(count - 1, int(count * 0.99))] * 1000,
        "max_ms": latencies[-1] * 1000,
        "requests": count,
        "answered": answered,  # warm-up included: what the server's CPU time covers
        "non_2xx": len(failures),
    }


def pace(port: int, rate: float, seconds: float, codes_path: Path) -> None:
    """Run the paced clients in their own process; the figures as JSON on stdout."""
    import asyncio

    codes = codes_path.read_text().split()
    print(json.dumps(asyncio.run(_pace_clients(port, rate, seconds, codes))))


def _report_saturated(results: list[dict[str, Any]]) -> None:
    bare = {r["worker_class"]: r for r in results if r["server"].startswith("bare")}
    print(f"saturated: {CONNECTIONS} connections, each sends its next request once answered")
    print(f"    {'worker class':<13}{'server':<22}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'/ bare':>8}{'CPU ms/req':>12}{'/ bare':>8}")  # fmt: skip
    for row in results:
        # Paired by round (measured minutes apart at most), then the median.
        pairs = list(zip(row["runs"], bare[row["worker_class"]]["runs"], strict=True))
        row["ratio"] = statistics.median(mine["rps"] / base["rps"] for mine, base in pairs)
        row["cpu_ratio"] = statistics.median(
            base["cpu_ms"] / mine["cpu_ms"] for mine, base in pairs
        )
        print(
            f"    {row['worker_class']:<13}{row['server']:<22}{row['rps']:>8,.0f}"
            f"{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{row['ratio']:>7.2f}x"
            f"{row['cpu_ms']:>12.3f}{row['cpu_ratio']:>7.2f}x"
        )
    print(
        "    CPU ms/req: CPU time of the gunicorn workers per answered request (not the "
        "database's\n    nor wrk's); its '/ bare' is bare's CPU per request over this one's, "
        "the req/s ratio\n    a machine of its own would give if only the server were busy"
    )


def _report_paced(results: list[dict[str, Any]], paced: list[dict[str, Any]]) -> None:
    bare = {r["worker_class"]: r for r in results if r["server"].startswith("bare")}
    if paced:
        print(
            f"paced ({PRODUCTION_CLASS}): {CONNECTIONS} clients that think (exponential, mean "
            f"{CONNECTIONS} / offered rate), then connect, ask and read; latency connect to last "
            "byte"
        )
        print(f"    {'offered req/s':<14}{'server':<22}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}")
        for row in paced:
            print(
                f"    {row['offered_rps']:<14,.0f}{row['server']:<22}{row['rps']:>8,.0f}"
                f"{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}"
            )
    chosen = next(
        (r for r in results if r["worker_class"] == PRODUCTION_CLASS and r["server"] == "SIMI"),
        None,
    )
    if chosen is None:
        return
    needed = CONNECTIONS / (TARGET_P99_MS / 1000)
    base = bare[PRODUCTION_CLASS]
    print(
        f"note: with {CONNECTIONS} connections always waiting, mean latency = {CONNECTIONS} / "
        f"throughput (Little's law):\n    p99 < {TARGET_P99_MS:.0f} ms at saturation needs more "
        f"than {needed:,.0f} req/s from server, database and wrk on the same CPUs (bare: "
        f"{base['rps']:,.0f} req/s, p99 {base['p99_ms']:.1f} ms)"
    )
    ok_ratio = chosen["ratio"] >= TARGET_RATIO
    print(
        f"SIMI ({PRODUCTION_CLASS}, production settings) / bare: {chosen['ratio']:.2f}x req/s, "
        f"{chosen['cpu_ratio']:.2f}x CPU per request (target >= {TARGET_RATIO}: "
        f"{'met' if ok_ratio else 'MISSED'}); p99 at saturation {chosen['p99_ms']:.1f} ms"
    )
    for row in paced:
        if row["server"] != "SIMI":
            continue
        ok_p99 = row["p99_ms"] < TARGET_P99_MS
        print(
            f"SIMI p99 below saturation, {row['offered_rps']:,.0f} req/s offered "
            f"({row['share']:.0%} of its saturated rate): {row['p99_ms']:.1f} ms "
            f"(target < {TARGET_P99_MS:.0f} ms: {'met' if ok_p99 else 'MISSED'})"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--seed"]:
        seed(int(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1:2] == ["--pace"]:
        pace(int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), Path(sys.argv[5]))
    else:
        main()
