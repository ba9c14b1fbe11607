"""Restore drill: back up a demo office on PostgreSQL, restore it, check it, time it.

    DATABASE_URL=postgres://USER@HOST/ANY .venv/bin/python drills/restore_drill.py

DATABASE_URL names the server (and a database to connect to for creating
others); the drill makes its own database ``simi_drill_<random>``, migrates
it and loads the demo data (``seed_demo``), runs ``manage.py backup``, then
``manage.py restore --verify --drop-after`` into another new database, and
drops what it made, whatever happens. It prints each step's time; the restore
time is the figure docs/operations.md quotes for the RTO. CI runs it after
the PostgreSQL suite (.ci/run). Exit status: the first failing step's.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = os.environ.get("PYTHON", str(ROOT / ".venv" / "bin" / "python"))
STEP_TIMEOUT = 150  # seconds; CI bounds the whole drill at three minutes


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _step(title: str, args: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    took = time.monotonic() - started
    last = (result.stdout.strip().splitlines() or [""])[-1]
    print(f"drill: {title}: {took:.1f} s  {last}", flush=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(result.returncode)
    return took


def main() -> None:
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL server.")
    drill = f"simi_drill_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{drill}"')
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="simi-drill-") as work:
            env = {
                **os.environ,
                "DATABASE_URL": _with_database(server, drill),
                "SIMI_ENV": "development",
                "SIMI_VAR_DIR": str(Path(work) / "var"),
                "SIMI_KEY_DIR": str(Path(work) / "keys"),
                "SIMI_LOG_LEVEL": "WARNING",
            }
            archive = Path(work) / "drill.tar"
            _step("migrate", ["migrate", "--no-input", "-v0"], env)
            _step("seed demo office", ["seed_demo"], env)
            _step("backup", ["backup", str(archive), "-v0"], env)
            restore = _step(
                "restore --verify",
                [
                    "restore",
                    str(archive),
                    "--verify",
                    "--drop-after",
                    "--database-name",
                    f"{drill}_restored",
                    "--files-folder",
                    str(Path(work) / "restored-files"),
                    "-v0",
                ],
                env,
            )
            size = archive.stat().st_size
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            for name in (drill, f"{drill}_restored"):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(
        f"drill: passed in {time.monotonic() - started:.1f} s; restore and verification of a "
        f"{size:,}-byte archive took {restore:.1f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
