"""Fault drills: SIMI under kill -9, a stopped database, a killed worker, a
full disk and concurrent writers, with real processes (issue 13).

    .venv/bin/python drills/fault_drills.py [web-kill] [db-outage] [worker-kill]
                                            [disk-full] [concurrency]

No argument runs them all. The drill makes everything it needs and removes it
afterwards: its own PostgreSQL 15 cluster in a temporary folder (so it can
stop the server), a database migrated and seeded with the demo office, gunicorn
with deploy/gunicorn.conf.py, and the job worker. Clients speak to the public
API over TCP as the app does: a bearer token from POST /api/v1/auth/tokens,
an Idempotency-Key on every write, and the same request again after a dropped
connection, a 503 or a 5xx.

Each drill prints its counts and fails (exit 1) when a count breaks the bar:
lost acknowledged submissions 0, duplicates 0, 500s during an outage 0,
stuck jobs 0, e-mails sent twice 0, deadlock 500s 0, half-stored uploads 0.
CI runs it after the PostgreSQL suite, bounded by ``timeout`` (.ci/run).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = os.environ.get("PYTHON", str(ROOT / ".venv" / "bin" / "python"))
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
DRILL_PASSWORD = secrets.token_urlsafe(18)  # the drill's own synthetic accounts
SERVICE = {"service": "passport-ordinary-5y", "office": "ulp-liwa"}
# What that service requires before submission (the catalogue's mandatory documents).
PASSPORT_DOCUMENTS = ("e-ktp", "kartu-keluarga", "civil-record")
FAMILY_CARD = "1804041203150007"  # synthetic; 18 is Lampung's province code
FAILED: list[str] = []


def say(text: str) -> None:
    print(f"drill: {text}", flush=True)


def bar(name: str, ok: bool, text: str) -> None:
    say(f"{name}: {text} -> {'ok' if ok else 'FAILED'}")
    if not ok:
        FAILED.append(name)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the database server ---------------------------------------------------


class Cluster:
    """A throwaway PostgreSQL cluster on a private socket and a TCP port."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.data = base / "data"
        self.port = free_port()
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if os.getuid() == 0:
            shutil.chown(base, "postgres")

    def _pg(self, *args: str, check: bool = True) -> None:
        subprocess.run([*self.as_pg, *args], check=check, capture_output=True, timeout=120)

    def create(self) -> None:
        self._pg(str(PGBIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")
        self.start()
        self._pg(str(PGBIN / "createdb"), "-h", str(self.base), "-p", str(self.port), "simi")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c max_connections=100"
        )
        self._pg(
            str(PGBIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.base / "server.log"),
            "-w", "-o", options, "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._pg(str(PGBIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/simi"


# --- SIMI's processes ------------------------------------------------------


class Simi:
    def __init__(self, work: Path, cluster: Cluster) -> None:
        self.work = work
        self.port = free_port()
        self.outbox = work / "var" / "outbox"
        self.env = {
            **os.environ,
            "DATABASE_URL": cluster.url,
            "SIMI_ENV": "production",
            "SIMI_SSL_REDIRECT": "0",
            "SIMI_SECRET_KEY": secrets.token_urlsafe(50),
            "SIMI_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SIMI_VAR_DIR": str(work / "var"),
            "SIMI_KEY_DIR": str(work / "keys"),
            "SIMI_STATIC_ROOT": str(work / "static"),
            "SIMI_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "2",
            "SIMI_LOG_LEVEL": "WARNING",
            # short clocks, so a killed worker's jobs come back within seconds
            "SIMI_WORKER_HEARTBEAT_SECONDS": "2",
            "SIMI_WORKER_STALE_SECONDS": "6",
            "SIMI_JOB_RECOVERY_SECONDS": "3",
        }
        # The worker keeps e-mail as files (development backend), so the drill
        # can count every message it sent.
        self.worker_env = {**self.env, "SIMI_ENV": "development"}
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def manage(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env or self.worker_env,
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)}: {done.stderr[-3000:]}")
        return done.stdout

    def prepare(self) -> None:
        self.manage("migrate", "--no-input", "-v0")
        self.manage("seed_demo")
        # production serves hashed, compressed static files from a manifest
        self.manage("collectstatic", "--no-input", "-v0", env=self.env)

    def start_web(self) -> None:
        log = (self.work / "web.log").open("ab")
        self.web = subprocess.Popen(
            [GUNICORN, "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            cwd=ROOT, env=self.env, stdout=log, stderr=log,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, http.client.HTTPException):
                if self.request("GET", "/healthz")[0] in (200, 503):
                    return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s (see web.log)")

    def kill_web_master(self) -> None:
        """kill -9 of the master alone: its workers must die with it."""
        assert self.web is not None
        self.web.send_signal(signal.SIGKILL)
        self.web.wait()

    def stop_web(self) -> None:
        if self.web is not None and self.web.poll() is None:
            self.web.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.web.wait(timeout=30)

    def start_worker(self) -> None:
        log = (self.work / "worker.log").open("ab")
        self.worker = subprocess.Popen(
            [PYTHON, "manage.py", "run_worker", "--queue-name", "*"],
            cwd=ROOT, env=self.worker_env, stdout=log, stderr=log,
        )  # fmt: skip

    def kill_worker(self) -> None:
        assert self.worker is not None
        self.worker.send_signal(signal.SIGKILL)
        self.worker.wait()

    def stop_worker(self) -> None:
        if self.worker is not None and self.worker.poll() is None:
            self.worker.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.worker.wait(timeout=30)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
        timeout: float = 15,
    ) -> tuple[int, Any, dict[str, str]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            sent = dict(headers or {})
            data = raw
            if body is not None:
                data = json.dumps(body).encode()
                sent["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=sent)
            response = conn.getresponse()
            payload = response.read()
            try:
                parsed = json.loads(payload) if payload else None
            except ValueError:
                parsed = payload.decode(errors="replace")
            return response.status, parsed, {k.lower(): v for k, v in response.getheaders()}
        finally:
            conn.close()


@dataclass
class App:
    """One applicant's client: a token, and what SIMI acknowledged to it."""

    simi: Simi
    email: str
    token: str = ""
    acknowledged: dict[str, str] = field(default_factory=dict)  # application id -> tracking
    keys: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)

    def sign_in(self) -> None:
        status, body, _ = self.call_until(
            "POST", "/api/v1/auth/tokens",
            {"email": self.email, "password": DRILL_PASSWORD, "name": "drill"}, key=None,
        )  # fmt: skip
        if status != 201:
            raise RuntimeError(f"sign-in of {self.email}: {status} {body}")
        self.token = body["token"]

    def call_until(
        self,
        method: str,
        path: str,
        body: Any,
        *,
        key: str | None,
        patience: float = 90,
        raw: bytes | None = None,
        content_type: str = "",
    ) -> tuple[int, Any, dict[str, str]]:
        """Send, and send the same request again (same key) after a dropped
        connection, a 503 or any 5xx, as the app's outbox does."""
        headers = {"Accept-Language": "en"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if key:
            headers["Idempotency-Key"] = key
        if content_type:
            headers["Content-Type"] = content_type
        deadline = time.monotonic() + patience
        while True:
            try:
                status, answer, got = self.simi.request(method, path, body, headers, raw=raw)
                self.statuses[status] += 1
                if status < 500 and not (status == 409 and _in_progress(answer)):
                    return status, answer, got
            except (OSError, http.client.HTTPException):
                self.statuses[-1] += 1  # the connection failed
            if time.monotonic() > deadline:
                return 0, None, {}
            time.sleep(0.3 + random.random() * 0.3)

    def apply_once(self) -> bool:
        key = str(uuid.uuid4())
        self.keys.add(key)
        status, made, _ = self.call_until("POST", "/api/v1/applications", SERVICE, key=key)
        if status != 201:
            return False
        if not self.complete(made["id"]):
            return False
        key = str(uuid.uuid4())
        path = f"/api/v1/applications/{made['id']}/submit"
        status, sent, _ = self.call_until("POST", path, {"declaration": True}, key=key)
        if status == 200 and sent.get("tracking_code"):
            self.acknowledged[made["id"]] = sent["tracking_code"]
            return True
        return False

    def complete(self, app_id: str) -> bool:
        """What a passport draft needs before it is submitted: the family card
        number and a scan of each mandatory document. Both are safe to send
        again (the same details; the same file for a document is one document)."""
        base = f"/api/v1/applications/{app_id}"
        status, _, _ = self.call_until(
            "PUT", f"{base}/details", {"family_card_number": FAMILY_CARD}, key=None
        )
        if status != 200:
            return False
        for seed, code in enumerate(PASSPORT_DOCUMENTS):
            raw, content_type = _multipart(code, _pdf(2_000, seed=seed))
            status, _, _ = self.call_until(
                "POST", f"{base}/documents", None, key=None, raw=raw, content_type=content_type
            )
            if status != 201:
                return False
        return True


def _multipart(requirement_code: str, content: bytes) -> tuple[bytes, str]:
    """One document upload as a multipart body, and its Content-Type."""
    boundary = uuid.uuid4().hex
    raw = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="requirement_code"\r\n\r\n'
            f"{requirement_code}\r\n--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; '
            f'filename="{requirement_code}.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return raw, f"multipart/form-data; boundary={boundary}"


def _in_progress(answer: Any) -> bool:
    return (
        isinstance(answer, dict)
        and answer.get("error", {}).get("code") == "idempotency_in_progress"
    )


MAKE_CITIZENS = """
from datetime import date
from django.utils import timezone
from simi.accounts.models import User
from simi.accounts.claims.services import applicant_identity_save
from simi.people.services import PersonData
for n in range(FIRST, FIRST + COUNT):
    email = f"drill{n:03d}@drill.simi.invalid"
    if User.objects.filter(email=email).exists():
        continue
    name = f"Drill Citizen {n} (synthetic)"
    user = User(email=email, full_name=name, email_verified_at=timezone.now())
    user.set_password(PASSWORD)
    user.save()
    nik = f"18040415{n % 12 + 1:02d}90{n:04d}"
    applicant_identity_save(actor=user, data=PersonData(
        kind="citizen", full_name=f"Drill Citizen {n} (synthetic)", nik=nik,
        address="Alamat latihan (sintetis)", birth_date=date(1990, n % 12 + 1, 15), sex="M"))
"""
_made = {"next": 1}


def citizens(simi: Simi, count: int) -> list[App]:
    """New synthetic citizens with an identity record, each signed in."""
    first = _made["next"]
    _made["next"] += count
    code = (
        MAKE_CITIZENS.replace("FIRST", str(first))
        .replace("COUNT", str(count))
        .replace("PASSWORD", repr(DRILL_PASSWORD))
    )
    simi.manage("shell", "-c", code)
    apps = [App(simi, f"drill{n:03d}@drill.simi.invalid") for n in range(first, first + count)]
    for app in apps:
        app.sign_in()
    return apps


def run_clients(apps: list[App], seconds: float) -> None:
    stop_at = time.monotonic() + seconds

    def loop(app: App) -> None:
        while time.monotonic() < stop_at:
            app.apply_once()

    threads = [threading.Thread(target=loop, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def sql(cluster: Cluster, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(cluster.url) as conn:
        return list(conn.execute(query, params).fetchall())  # type: ignore[arg-type]


def check_applications(name: str, cluster: Cluster, simi: Simi, apps: list[App]) -> None:
    rows = sql(cluster, "SELECT public_id, tracking_code FROM applications_application")
    stored = {str(public_id): tracking for public_id, tracking in rows}
    acknowledged = {k: v for app in apps for k, v in app.acknowledged.items()}
    lost = [k for k, code in acknowledged.items() if not stored.get(k)]
    drafts_and_more = sql(
        cluster,
        "SELECT count(*) FROM applications_application a JOIN accounts_user u "
        "ON u.id = a.applicant_id WHERE u.email = ANY(%s)",
        ([app.email for app in apps],),
    )[0][0]
    keys_used = sum(len(app.keys) for app in apps)
    duplicates = max(0, drafts_and_more - keys_used)
    bar(name, not lost, f"{len(acknowledged)} acknowledged submissions, {len(lost)} lost")
    bar(
        name,
        duplicates == 0,
        f"{drafts_and_more} applications for {keys_used} keys: {duplicates} duplicates",
    )
    verify = simi.manage("audit_verify")
    bar(name, "Audit log verified" in verify, f"audit log: {verify.strip().splitlines()[-1]}")


# --- the drills -------------------------------------------------------------


def drill_web_kill(cluster: Cluster, simi: Simi) -> None:
    """kill -9 of the gunicorn master during keyed submissions, four times."""
    apps = citizens(simi, 4)
    rounds = 4
    restarts: list[float] = []

    def killer() -> None:
        for _ in range(rounds):
            time.sleep(4)
            simi.kill_web_master()
            started = time.monotonic()
            simi.start_web()  # fails while orphaned workers hold the port
            restarts.append(time.monotonic() - started)

    chaos = threading.Thread(target=killer)
    chaos.start()
    run_clients(apps, seconds=4 * rounds + 6)
    chaos.join()
    total = sum((app.statuses for app in apps), Counter())
    say(
        f"web-kill: {rounds} kill -9 of the master, restarts took "
        + ", ".join(f"{r:.1f} s" for r in restarts)
    )
    say(f"web-kill: answers {dict(sorted(total.items()))} (-1: connection failed)")
    check_applications("web-kill", cluster, simi, apps)


def drill_db_outage(cluster: Cluster, simi: Simi) -> None:
    """The database stopped for 20 s during traffic: every failure a 503, none a 500."""
    apps = citizens(simi, 3)
    seen: Counter[int] = Counter()
    retry_after: set[str] = set()
    outage = {"down": False, "up_at": 0.0, "recovered_after": -1.0}
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                status, _, headers = simi.request("GET", "/api/v1/services", timeout=10)
                if outage["down"] or outage["up_at"]:
                    seen[status] += 1
                if status == 503:
                    retry_after.add(headers.get("retry-after", ""))
                if status == 200 and outage["up_at"] and outage["recovered_after"] < 0:
                    outage["recovered_after"] = time.monotonic() - outage["up_at"]
            except (OSError, http.client.HTTPException):
                seen[-1] += 1
            time.sleep(0.1)

    readers = [threading.Thread(target=reader) for _ in range(3)]
    for thread in readers:
        thread.start()
    writers = threading.Thread(target=run_clients, args=(apps, 32))
    writers.start()
    time.sleep(4)
    cluster.stop("fast")
    outage["down"] = True
    time.sleep(20)
    cluster.start()
    outage["down"] = False
    outage["up_at"] = time.monotonic()
    writers.join()
    stop.set()
    for thread in readers:
        thread.join()
    writes = sum((app.statuses for app in apps), Counter())
    say(
        f"db-outage: reads during and after {dict(sorted(seen.items()))}; "
        f"writes {dict(sorted(writes.items()))}"
    )
    bar("db-outage", seen[500] == 0 and writes[500] == 0, f"{seen[500] + writes[500]} answers 500")
    bar(
        "db-outage",
        seen[503] > 0 and "" not in retry_after,
        f"503s carry Retry-After {sorted(retry_after)}",
    )
    bar(
        "db-outage",
        outage["recovered_after"] >= 0,
        f"recovered {outage['recovered_after']:.1f} s after the database came back, "
        "without a restart",
    )
    check_applications("db-outage", cluster, simi, apps)


def drill_worker_kill(cluster: Cluster, simi: Simi) -> None:
    """A worker killed with jobs queued: each job runs once, none stays stuck."""
    simi.stop_worker()
    apps = citizens(simi, 4)
    before = _emails_written(simi)
    sent_before = _emails_sent(cluster)
    run_clients(apps, seconds=8)  # each submission queues screening and an e-mail
    queued = sql(
        cluster, "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'"
    )[0][0]
    simi.start_worker()
    time.sleep(1.5)
    simi.kill_worker()
    simi.start_worker()
    deadline = time.monotonic() + 120
    pending = -1
    while time.monotonic() < deadline:
        pending = sql(
            cluster,
            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE status IN ('READY', 'RUNNING')",
        )[0][0]
        if pending == 0:
            break
        time.sleep(1)
    failed = sql(
        cluster, "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'"
    )[0][0]
    submitted = sum(len(app.acknowledged) for app in apps)
    sent = _emails_written(simi) - before
    say(f"worker-kill: {submitted} submissions, {queued} jobs queued, worker killed once mid-queue")
    bar("worker-kill", pending == 0, f"{pending} jobs still queued or running after the lease")
    bar("worker-kill", failed == 0, f"{failed} jobs failed")
    sent_rows = _emails_sent(cluster) - sent_before
    twice = max(0, sent - sent_rows)
    bar(
        "worker-kill",
        twice == 0,
        f"{sent} e-mails written for {sent_rows} sent notifications: {twice} sent twice",
    )


def _emails_sent(cluster: Cluster) -> int:
    query = (
        "SELECT count(*) FROM notifications_notification "
        "WHERE channel = 'email' AND status = 'sent'"
    )
    return int(sql(cluster, query)[0][0])


def _emails_written(simi: Simi) -> int:
    """Messages in the file outbox (a file may hold several)."""
    if not simi.outbox.exists():
        return 0
    return sum(
        path.read_text(errors="replace").count("\nMessage-ID: ") for path in simi.outbox.glob("*")
    )


def drill_disk_full(cluster: Cluster, simi: Simi) -> None:
    """Uploads into a full disk: a clear 4xx or 507, nothing half stored."""
    media = Path(simi.env["SIMI_VAR_DIR"]) / "media"
    media.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(media)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        say(
            "disk-full: skipped: cannot mount a small file system here "
            f"({mounted.stderr.decode().strip()})"
        )
        return
    try:
        apps = citizens(simi, 1)
        app = apps[0]
        status, made, _ = app.call_until(
            "POST", "/api/v1/applications", SERVICE, key=str(uuid.uuid4())
        )
        assert status == 201, made
        answers: Counter[int] = Counter()
        for n in range(12):
            content = _pdf(120_000, seed=n)
            boundary = uuid.uuid4().hex
            raw = (
                (
                    f"--{boundary}\r\n"
                    'Content-Disposition: form-data; name="requirement_code"\r\n\r\n'
                    f"kartu-keluarga\r\n--{boundary}\r\n"
                    'Content-Disposition: form-data; name="file"; '
                    f'filename="kk-{n}.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
                ).encode()
                + content
                + f"\r\n--{boundary}--\r\n".encode()
            )
            status, _, _ = simi.request(
                "POST", f"/api/v1/applications/{made['id']}/documents", raw=raw,
                headers={"Authorization": f"Bearer {app.token}",
                         "Content-Type": f"multipart/form-data; boundary={boundary}"},
            )  # fmt: skip
            answers[status] += 1
        rows = sql(
            cluster,
            "SELECT count(*) FROM applications_applicationdocument d "
            "JOIN applications_application a ON a.id = d.application_id WHERE a.public_id = %s",
            (made["id"],),
        )[0][0]
        files = sum(1 for path in media.rglob("*") if path.is_file())
        say(f"disk-full: 12 uploads of 120 kB into 600 kB: answers {dict(sorted(answers.items()))}")
        refused = sum(count for status, count in answers.items() if 400 <= status < 600)
        bar(
            "disk-full",
            answers[500] == 0 and refused > 0,
            f"{answers[500]} answers 500, {refused} refused as the disk filled",
        )
        bar(
            "disk-full",
            rows == answers[201] and files >= rows,
            f"{rows} document rows, {files} files, {answers[201]} accepted",
        )
    finally:
        subprocess.run(["umount", "-l", str(media)], check=False)


def _pdf(size: int, seed: int) -> bytes:
    """A small valid PDF padded with a comment stream to ``size`` bytes."""
    rng = random.Random(seed)
    filler = bytes(rng.choice(b"abcdefghij") for _ in range(size))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(filler) + filler + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def drill_concurrency(cluster: Cluster, simi: Simi) -> None:
    """Concurrent creates and submits for 60 s: no deadlock reaches anyone as a 500."""
    apps = citizens(simi, 6)
    run_clients(apps, seconds=60)
    total = sum((app.statuses for app in apps), Counter())
    deadlocks = int(simi.request("GET", "/healthz")[0] >= 0) and _deadlock_lines(simi)
    say(f"concurrency: 6 clients for 60 s: answers {dict(sorted(total.items()))}")
    bar("concurrency", total[500] == 0, f"{total[500]} answers 500, {deadlocks} deadlocks logged")
    check_applications("concurrency", cluster, simi, apps)


def _deadlock_lines(simi: Simi) -> int:
    log = simi.work / "web.log"
    return log.read_text(errors="replace").count("deadlock detected") if log.exists() else 0


DRILLS = {
    "web-kill": drill_web_kill,
    "db-outage": drill_db_outage,
    "worker-kill": drill_worker_kill,
    "disk-full": drill_disk_full,
    "concurrency": drill_concurrency,
}


@contextlib.contextmanager
def office() -> Iterator[tuple[Cluster, Simi]]:
    with tempfile.TemporaryDirectory(prefix="simi-drill-") as work:
        Path(work).chmod(0o755)  # the postgres user must reach its folder
        base = Path(work) / "pg"
        base.mkdir()
        cluster = Cluster(base)
        cluster.create()
        simi = Simi(Path(work), cluster)
        try:
            simi.prepare()
            simi.start_web()
            simi.start_worker()
            yield cluster, simi
        finally:
            simi.stop_worker()
            simi.stop_web()
            cluster.stop("immediate")
            if FAILED:
                for name in ("web.log", "worker.log"):
                    path = Path(work) / name
                    if path.exists():
                        sys.stderr.write(
                            f"--- {name} (last lines)\n{path.read_text(errors='replace')[-3000:]}\n"
                        )


def main(names: list[str]) -> None:
    chosen = names or list(DRILLS)
    unknown = [n for n in chosen if n not in DRILLS]
    if unknown:
        raise SystemExit(f"unknown drill {unknown}; choose from {list(DRILLS)}")
    if not (PGBIN / "initdb").exists():
        raise SystemExit(f"PostgreSQL 15 server binaries not found in {PGBIN}")
    started = time.monotonic()
    # One office for every drill: each drill signs up its own citizens.
    with office() as (cluster, simi):
        say(f"office ready in {time.monotonic() - started:.0f} s")
        for name in chosen:
            begun = time.monotonic()
            DRILLS[name](cluster, simi)
            say(f"{name}: {time.monotonic() - begun:.0f} s")
    verdict = "FAILED: " + ", ".join(sorted(set(FAILED))) if FAILED else "all passed"
    say(f"{len(chosen)} drills in {time.monotonic() - started:.0f} s; {verdict}")
    if FAILED:
        raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
