"""What a backup needs from each database SIMI runs on.

PostgreSQL: ``pg_dump --format=custom`` of a snapshot that this process
exports and holds open (``pg_snapshot``), so that the dump and the checksums
of the manifest read the very same rows while SIMI keeps writing; restore is
``pg_restore`` into a new database. SQLite: the online backup API
(``sqlite3.Connection.backup``), which copies a consistent state while the
web and the worker go on (WAL: readers never block writers).

The client programs are found on ``PATH``, else in the newest
``/usr/lib/postgresql/<version>/bin``, or in ``SIMI_PG_BIN`` when set. They
get the connection from libpq's environment variables (``PGPASSWORD`` and
the rest), never on a command line that ``ps`` shows.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from django.db import connections, transaction
from django.db.utils import load_backend
from psycopg import conninfo, pq


class BackupFailed(Exception):
    """What stopped a backup or a restore, in words for the operator."""


# A database name SIMI creates: plain, so it needs no quoting anywhere.
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_LOCALE = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client program (pg_dump, pg_restore)."""
    configured = os.environ.get("SIMI_PG_BIN", "")
    if configured:
        candidate = Path(configured) / name
        if not os.access(candidate, os.X_OK):
            raise BackupFailed(f"SIMI_PG_BIN={configured}: {name} is not there.")
        return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if versions:
        return str(versions[-1])
    raise BackupFailed(
        f"{name} was not found (install Debian's postgresql-client, or set SIMI_PG_BIN)."
    )


def libpq_connection(using: str, dbname: str | None = None) -> tuple[str, dict[str, str]]:
    """(conninfo, environment) for a client program to reach the database of
    alias ``using`` (or database ``dbname`` on its server): every libpq
    parameter Django would connect with, the password in ``PGPASSWORD``."""
    known = {bytes(option.keyword).decode() for option in pq.Conninfo.get_defaults()}
    params = connections[using].get_connection_params()
    env = dict(os.environ)
    password = params.pop("password", None)
    if password:
        env["PGPASSWORD"] = str(password)
    if dbname is not None:
        params["dbname"] = dbname
    plain = {
        key: str(value)
        for key, value in params.items()
        if key in known and isinstance(value, str | int) and key != "password"
    }
    return conninfo.make_conninfo(**plain), env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own arguments
    if result.returncode != 0:
        raise BackupFailed(f"{what} failed ({result.returncode}): {result.stderr.strip()}")


@contextmanager
def database_alias(settings_dict: dict[str, Any], name: str) -> Iterator[str]:
    """A temporary database alias, like ``settings_dict`` but on database ``name``:
    the ORM and the audit verification read a copy through it. The connection
    is this thread's own (``connections[alias]``), not a setting: nothing else
    in the process can reach the copy by name."""
    alias = f"simi_backup_{uuid.uuid4().hex[:12]}"
    config = {**copy.deepcopy(settings_dict), "NAME": name}
    connections[alias] = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


def refuse_inside_transaction(using: str) -> None:
    if connections[using].in_atomic_block:
        raise BackupFailed("Backups and restores run outside a database transaction.")


# --- PostgreSQL ----------------------------------------------------------------


@contextmanager
def pg_snapshot(using: str) -> Iterator[str]:
    """A repeatable-read, read-only transaction on ``using`` whose snapshot is
    exported: yields its id for ``pg_dump --snapshot``; reads through ``using``
    inside the block see the same rows the dump holds."""
    refuse_inside_transaction(using)
    connection = connections[using]
    connection.ensure_connection()
    connection.close_if_health_check_failed()  # no ping may open the transaction
    connection.ensure_connection()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        yield str(snapshot)


def pg_database_facts(using: str) -> dict[str, str]:
    """Server version, encoding and locale of the database (a restore copies them)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'), pg_encoding_to_char(encoding), "
            "datcollate, datctype FROM pg_database WHERE datname = current_database()"
        )
        version, encoding, collate, ctype = cursor.fetchone()
    return {"server_version": version, "encoding": encoding, "collate": collate, "ctype": ctype}


def pg_dump_start(using: str, snapshot: str, target: Path) -> subprocess.Popen[bytes]:
    """Start ``pg_dump`` of the exported snapshot into ``target`` (custom format)."""
    dsn, env = libpq_connection(using)
    errors = target.with_suffix(".log").open("wb")
    return subprocess.Popen(  # noqa: S603 - our own arguments
        [
            pg_tool("pg_dump"),
            "--format=custom",
            f"--snapshot={snapshot}",
            "--no-password",
            f"--file={target}",
            f"--dbname={dsn}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )


def pg_dump_finish(process: subprocess.Popen[bytes], target: Path) -> None:
    code = process.wait()
    log = target.with_suffix(".log")
    message = log.read_text(errors="replace").strip()
    log.unlink()
    if code != 0:
        raise BackupFailed(f"pg_dump failed ({code}): {message}")


def pg_database_exists(using: str, name: str) -> bool:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def plain_database_name(name: str) -> str:
    if not _PLAIN_NAME.match(name):
        raise BackupFailed(
            f"{name!r} is not a plain database name (letters, digits, _; at most 63)."
        )
    return name


def pg_create_database(using: str, name: str, facts: dict[str, str]) -> None:
    """An empty database like the one backed up (encoding and locale)."""
    refuse_inside_transaction(using)
    plain_database_name(name)
    clauses = ["TEMPLATE template0"]
    for key, clause in (("encoding", "ENCODING"), ("collate", "LC_COLLATE"), ("ctype", "LC_CTYPE")):
        value = facts.get(key, "")
        if value:
            if not _LOCALE.match(value):
                raise BackupFailed(f"The manifest's database {key} {value!r} is not plain.")
            clauses.append(f"{clause} '{value}'")
    with connections[using].cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" ' + " ".join(clauses))


def pg_restore(using: str, name: str, dump: Path) -> None:
    """Load a custom-format dump into the (new, empty) database ``name``.

    Without the dump's owners and grants: the restoring role owns the copy
    (docs/operations.md says how to give it to SIMI's role when it goes live).
    """
    dsn, env = libpq_connection(using, plain_database_name(name))
    _run(
        [
            pg_tool("pg_restore"),
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "--no-password",
            f"--dbname={dsn}",
            str(dump),
        ],
        env,
        "pg_restore",
    )


def pg_drop_database(using: str, name: str) -> None:
    refuse_inside_transaction(using)
    with connections[using].cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{plain_database_name(name)}" WITH (FORCE)')


# --- SQLite --------------------------------------------------------------------


def sqlite_path(settings_dict: dict[str, Any]) -> Path:
    name = str(settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupFailed("An in-memory SQLite database cannot be backed up.")
    return Path(name)


def sqlite_online_backup(source: Path, target: Path) -> None:
    """Copy the live database into a new file with SQLite's backup API, in one
    step (one consistent state). The copy is a single file (no WAL beside it)."""
    if not source.exists():
        raise BackupFailed(f"The SQLite database {source} does not exist.")
    with (
        closing(sqlite3.connect(source, timeout=20)) as live,
        closing(sqlite3.connect(target)) as copy_,
    ):
        live.backup(copy_)
        copy_.execute("PRAGMA journal_mode=DELETE")
