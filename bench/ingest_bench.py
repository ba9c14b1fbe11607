"""Ingest benchmark: device events and lodging reports per second on
PostgreSQL, each beside a raw COPY baseline measured in the same run.

(a) Device events through the real ingestion service
    (``simi.oversight.devices.ingest.events_ingest``: HMAC signature check over the
    raw body, nonce, JSON parsing and validation of every event, blind index
    of passport numbers, duplicate check, bulk insert, last-seen update, audit
    entry) in batches of 1,000 and 5,000 events. Baseline: ``COPY`` of the
    same rows into a bare table of the same columns (no key, index or
    constraint) through psycopg's ``cursor.copy``.
    Also: the two ways of refusing duplicates, measured on the real table:
    a pre-check SELECT then a plain bulk insert (what the service does) and
    ``bulk_create(ignore_conflicts=True)`` alone.
(b) Lodging reports through the CSV import service
    (``simi.oversight.lodging.imports.lodging_import_file``: decoding, every row
    checked, names and passport numbers encrypted, blind index, natural-key
    check, one transaction, audit). Baseline: ``COPY`` of the same rows (plain
    text, parsed times) into a bare table.

PostgreSQL: DATABASE_URL when it names PostgreSQL (a ``<name>_ingest_bench``
database is made there and dropped); otherwise a throwaway cluster is
started in a temporary folder on a unix socket and always stopped.

    .venv/bin/python bench/run.py ingest      (or: make bench)
    BENCH_EVENTS=20000 BENCH_LODGING_ROWS=10000 ...   sizes (defaults below)
"""

from __future__ import annotations

import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVENTS = int(os.environ.get("BENCH_EVENTS", "20000"))  # per batch size
LODGING_ROWS = int(os.environ.get("BENCH_LODGING_ROWS", "10000"))
LODGING_FILE_ROWS = 5000
BATCH_SIZES = (1000, 5000)
RESULTS = ROOT / "bench" / "results" / "ingest.json"
PGBIN_CANDIDATES = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin")
NATIONALITIES = ("AUS", "NLD", "DEU", "JPN", "USA", "FRA", "GBR", "KOR")
SYLLABLES = ("ka", "lo", "me", "ri", "tu", "sa", "vo", "ne", "di", "ra", "ku", "te")


# --- PostgreSQL ------------------------------------------------------------------


def _pg_bin() -> Path:
    for candidate in PGBIN_CANDIDATES:
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise SystemExit("PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql-15")


def _run(command: list[str], *, check: bool = True) -> None:
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=check)


@contextmanager
def _postgres() -> Iterator[str]:
    """A PostgreSQL URL: DATABASE_URL's, or a throwaway cluster's (always stopped)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        yield url
        return
    pgbin = _pg_bin()
    folder = Path(tempfile.mkdtemp(prefix="simi-bench-pg."))
    as_pg: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    port = str(20000 + random.randrange(20000))
    data, socket = str(folder / "data"), str(folder)
    try:
        _run([*as_pg, str(pgbin / "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
              "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])  # fmt: skip
        _run([*as_pg, str(pgbin / "pg_ctl"), "-D", data, "-l", str(folder / "server.log"),
              "-w", "start", "-o", f"-p {port} -k {socket} -c listen_addresses=''"])  # fmt: skip
        _run([*as_pg, str(pgbin / "createdb"), "-h", socket, "-p", port, "-U", "postgres", "simi"])
        print(f"throwaway PostgreSQL cluster in {folder} (port {port}, socket only)", flush=True)
        yield f"postgres://postgres@/simi?host={socket}&port={port}"
    finally:
        _run([*as_pg, str(pgbin / "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"], check=False)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _throwaway_database() -> Iterator[str]:
    from django.db import connection

    settings = connection.settings_dict
    settings["TEST"] = {**settings.get("TEST", {}), "NAME": f"{settings['NAME']}_ingest_bench"}
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection.settings_dict["NAME"]
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


def _durability() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SHOW fsync")
        fsync = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        sync = cursor.fetchone()[0]
    return f"{version}, fsync={fsync}, synchronous_commit={sync}"


def _copy_rate(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> float:
    """Rows per second of COPY into ``table`` (one transaction, like the service)."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with raw.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    return len(rows) / (time.perf_counter() - started)


# --- (a) device events -------------------------------------------------------------


def _device() -> tuple[Any, str]:
    from simi.core.models import Office, Region
    from simi.oversight.devices.keys import new_hmac_secret, new_key_id
    from simi.oversight.models import Device

    secret = new_hmac_secret()
    device = Device.objects.create(
        code=f"bench-cctv-{secrets.token_hex(3)}",
        kind="cctv_analytics",
        office=Office.objects.get(code="kanim-kotabumi"),
        kecamatan=Region.objects.get(code="18.04.04"),
        location="Benchmark (synthetic)",
        key_kind="hmac",
        secret=secret,
        key_id=new_key_id(),
    )
    return device, secret


def _events(count: int, prefix: str, rng: random.Random) -> list[dict[str, Any]]:
    now = datetime.now().astimezone()
    events = []
    for i in range(count):
        event: dict[str, Any] = {
            "event_id": f"{prefix}-{i:07d}",
            "kind": rng.choice(("plate_read", "face_match_candidate", "crowd_count")),
            "occurred_at": (now - timedelta(seconds=rng.randrange(3600))).isoformat(),
            "payload": {"camera": f"c{rng.randrange(8)}", "confidence": round(rng.random(), 3)},
        }
        if i % 10 == 0:  # one in ten carries a passport number (blind-indexed)
            event["passport_number"] = f"X{rng.randrange(10**7, 10**8)}"
            event["nationality"] = rng.choice(NATIONALITIES)
        events.append(event)
    return events


def _signed(secret: str, body: bytes) -> dict[str, str]:
    from simi.oversight.devices.keys import sign_hmac

    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    return {
        "timestamp": timestamp,
        "nonce": nonce,
        "signature": sign_hmac(secret, timestamp, nonce, body),
    }


def _bare_event_table() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_event")
        cursor.execute(
            "CREATE TABLE bench_bare_event (device_id bigint, event_id varchar(64), "
            "kind varchar(30), occurred_at timestamptz, received_at timestamptz, "
            "payload jsonb, passport_index varchar(64), seal_verdict varchar(16), "
            "document_id uuid)"
        )
    return [
        "device_id", "event_id", "kind", "occurred_at", "received_at", "payload",
        "passport_index", "seal_verdict", "document_id",
    ]  # fmt: skip


def bench_events(rng: random.Random) -> list[dict[str, Any]]:
    from simi.oversight.devices.ingest import events_ingest

    columns = _bare_event_table()
    rows = []
    for size in BATCH_SIZES:
        device, secret = _device()
        batches = max(1, EVENTS // size)
        bodies = [
            json.dumps({"events": _events(size, f"b{size}-{n}", rng)}).encode()
            for n in range(batches)
        ]
        signed = [_signed(secret, body) for body in bodies]
        started = time.perf_counter()
        accepted = 0
        for body, headers in zip(bodies, signed, strict=True):
            result = events_ingest(device_code=device.code, body=body, **headers)
            accepted += result.accepted
        service = accepted / (time.perf_counter() - started)
        # the same rows, already parsed, straight into a bare table
        received = datetime.now().astimezone()
        plain = [
            (
                device.pk,
                e["event_id"],
                e["kind"],
                datetime.fromisoformat(e["occurred_at"]),
                received,
                json.dumps(e["payload"]),
                "",
                "",
                None,
            )
            for body in bodies
            for e in json.loads(body)["events"]
        ]
        baseline = _copy_rate("bench_bare_event", columns, plain)
        rows.append(
            {
                "batch": size,
                "events": accepted,
                "service_per_s": service,
                "copy_per_s": baseline,
                "ratio": baseline / service,
            }
        )
    print(f"(a) device events, {EVENTS:,} per batch size")
    print(
        f"    {'batch':>6}{'events':>9}{'service ev/s':>15}{'COPY rows/s':>14}{'COPY/service':>14}"
    )
    for row in rows:
        print(
            f"    {row['batch']:>6,}{row['events']:>9,}{row['service_per_s']:>15,.0f}"
            f"{row['copy_per_s']:>14,.0f}{row['ratio']:>13.1f}x"
        )
    return rows


def _timed(call: Callable[[], Any]) -> float:
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic():
        call()
    return time.perf_counter() - started


def bench_duplicates(rng: random.Random) -> list[dict[str, Any]]:
    """Pre-check SELECT + plain insert against ``ignore_conflicts`` alone."""
    from django.utils import timezone

    from simi.oversight.devices.ingest import stored_event_ids
    from simi.oversight.models import DeviceEvent

    size = 5000
    now = timezone.now()

    def rows_for(device: Any, prefix: str) -> list[DeviceEvent]:
        return [
            DeviceEvent(
                device=device,
                event_id=f"{prefix}-{i}",
                kind="plate_read",
                occurred_at=now,
                received_at=now,
                payload={"camera": "c1"},
            )
            for i in range(size)
        ]

    results = []
    for label, precheck in (("pre-check + insert", True), ("ignore_conflicts", False)):
        device, _secret = _device()

        def store(
            batch: list[DeviceEvent], precheck: bool = precheck, device: Any = device
        ) -> None:
            if precheck:
                known = stored_event_ids(device, [e.event_id for e in batch])
                DeviceEvent.objects.bulk_create(
                    [e for e in batch if e.event_id not in known], batch_size=1000
                )
            else:
                DeviceEvent.objects.bulk_create(batch, batch_size=1000, ignore_conflicts=True)

        first, second = rows_for(device, "n"), rows_for(device, "n")
        new = _timed(lambda first=first, store=store: store(first))
        again = _timed(lambda second=second, store=store: store(second))
        results.append({"strategy": label, "new_per_s": size / new, "resent_per_s": size / again})
    print(f"    duplicates, {size:,} events in one transaction, on the real table:")
    print(f"    {'strategy':<22}{'all new ev/s':>14}{'all re-sent ev/s':>18}")
    for row in results:
        print(f"    {row['strategy']:<22}{row['new_per_s']:>14,.0f}{row['resent_per_s']:>18,.0f}")
    return results


# --- (b) lodging reports -------------------------------------------------------------


def _name(rng: random.Random) -> str:
    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randrange(2, 4))).capitalize()

    return f"{word()} {word()}"


def _lodging_rows(count: int, rng: random.Random) -> list[tuple[str, str, str, str, str]]:
    now = datetime.now().replace(second=0, microsecond=0)
    rows = []
    for i in range(count):
        check_in = now - timedelta(days=rng.randrange(1, 60), minutes=rng.randrange(1440))
        check_out = check_in + timedelta(days=rng.randrange(1, 5))
        out = check_out.strftime("%Y-%m-%d %H:%M") if check_out < now else ""
        rows.append(
            (
                _name(rng) + " (synthetic)",
                rng.choice(NATIONALITIES),
                f"B{i:08d}",
                check_in.strftime("%Y-%m-%d %H:%M"),
                out,
            )
        )
    return rows


def _csv(rows: list[tuple[str, str, str, str, str]]) -> bytes:
    lines = ["full_name,nationality,passport_number,check_in,check_out"]
    lines += [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def bench_lodging(rng: random.Random) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from simi.core.models import Office, Region
    from simi.oversight.lodging.imports import lodging_import_file
    from simi.oversight.models import LodgingPlace

    place = LodgingPlace.objects.create(
        code=f"bench-hotel-{secrets.token_hex(3)}",
        name="Hotel Benchmark (synthetic)",
        kind="hotel",
        kecamatan=Region.objects.get(code="18.04.04"),
        office=Office.objects.get(code="kanim-kotabumi"),
    )
    rows = _lodging_rows(LODGING_ROWS, rng)
    files = [
        _csv(rows[start : start + LODGING_FILE_ROWS])
        for start in range(0, len(rows), LODGING_FILE_ROWS)
    ]
    started = time.perf_counter()
    created = 0
    for raw in files:
        upload = lodging_import_file(actor=None, place=place, raw=raw)
        if upload.status != "done":
            raise AssertionError(f"import {upload.status}: {upload.errors[:3]}")
        created += upload.created_count
    service = created / (time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_lodging")
        cursor.execute(
            "CREATE TABLE bench_bare_lodging (place_id bigint, full_name text, "
            "nationality varchar(3), passport_number text, check_in timestamptz, "
            "check_out timestamptz, reported_at timestamptz, is_late boolean, source varchar(3))"
        )
    tz = timezone.get_current_timezone()
    reported = timezone.now()

    def moment(text: str) -> datetime | None:
        return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=tz) if text else None

    plain = [
        (place.pk, name, nat, number, moment(cin), moment(cout), reported, True, "csv")
        for name, nat, number, cin, cout in rows
    ]
    columns = [
        "place_id", "full_name", "nationality", "passport_number", "check_in", "check_out",
        "reported_at", "is_late", "source",
    ]  # fmt: skip
    baseline = _copy_rate("bench_bare_lodging", columns, plain)
    print(
        f"(b) lodging reports, {created:,} rows in files of {LODGING_FILE_ROWS:,} "
        "(one transaction per file)"
    )
    print(f"    {'service rows/s':>15}{'COPY rows/s':>14}{'COPY/service':>14}")
    print(f"    {service:>15,.0f}{baseline:>14,.0f}{baseline / service:>13.1f}x")
    return {"rows": created, "service_per_s": service, "copy_per_s": baseline}


def _measure() -> None:
    """The measurements, in a process of their own whose Django uses DATABASE_URL."""
    rng = random.Random(20261123)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simi.settings_test")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit(f"this bench needs PostgreSQL, got {connection.vendor}")
    try:
        with _throwaway_database() as name:
            print(f"database {name}: {_durability()}", flush=True)
            events = bench_events(rng)
            duplicates = bench_duplicates(rng)
            lodging = bench_lodging(rng)
    finally:
        connection.close()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    figures = {"events": events, "duplicates": duplicates, "lodging": lodging}
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"figures written to {RESULTS.relative_to(ROOT)}")


def main() -> None:
    # A child process: bench/run.py may already have set Django up on SQLite.
    with _postgres() as url:
        env = {**os.environ, "DATABASE_URL": url}
        command = [sys.executable, __file__, "--measure"]
        subprocess.run(command, env=env, check=True, cwd=ROOT)


if __name__ == "__main__":
    if sys.argv[1:] == ["--measure"]:
        _measure()
    else:
        main()
