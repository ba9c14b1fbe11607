"""What counts as a database outage, and how SIMI answers one.

An outage is the database being unreachable or going away, not a fault of
the request: PostgreSQL refusing connections, shutting down or restarting
("the database system is shutting down", "terminating connection due to
administrator command"), a connection that died ("server closed the
connection unexpectedly"), too many connections; a SQLite file that cannot
be opened or stays locked past its timeout. Pages and API calls that meet one
answer 503 with ``Retry-After`` (``views.service_unavailable``,
``apierrors``), never 500, and the worker waits for the database instead of
exiting (``simi.core.worker``). Errors of the statement itself (a missing
table, a broken constraint, a syntax error) are not outages: they stay 500s.
"""

from __future__ import annotations

import sqlite3

from django.db import InterfaceError, OperationalError

try:  # psycopg is installed with SIMI, but SQLite alone must not need it
    import psycopg
except ImportError:  # pragma: no cover
    psycopg = None  # type: ignore[assignment]

# Seconds a client is asked to wait before trying again (the Retry-After header):
# long enough for PostgreSQL to restart, short enough that nobody gives up.
RETRY_AFTER_SECONDS = 15

# SQLSTATE classes and codes that mean "the server is not there for us now":
# 08 connection exceptions, 53 insufficient resources (too many connections,
# disk or memory full), 57P01-57P03 the server shutting down or starting up.
_OUTAGE_CLASSES = {"08", "53"}
_OUTAGE_STATES = {"57P01", "57P02", "57P03"}
_SQLITE_OUTAGES = (
    "database is locked",
    "unable to open database file",
    "disk i/o error",
    "database or disk is full",
)
# Raised by a driver without a SQLSTATE (the connection is gone before or
# while a statement is sent), recognised by their words.
_OUTAGE_WORDS = (
    "connection refused",
    "could not connect",
    "connection failed",
    "server closed the connection",
    "terminating connection",
    "the database system is",
    "connection is lost",
    "connection is closed",
    "connection already closed",
    "no connection to the server",
)


def _database_errors(error: BaseException) -> list[BaseException]:
    """The Django database errors in ``error``'s chain (a few links deep)."""
    found: list[BaseException] = []
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen and len(seen) < 8:
        seen.add(id(link))
        if isinstance(link, OperationalError | InterfaceError):
            found.append(link)
        link = link.__cause__ or link.__context__
    return found


def _is_outage(error: OperationalError | InterfaceError) -> bool:
    if isinstance(error, InterfaceError):
        return True  # the connection is closed or unusable
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate:
        return sqlstate[:2] in _OUTAGE_CLASSES or sqlstate in _OUTAGE_STATES
    if isinstance(cause, sqlite3.OperationalError):
        text = str(cause).lower()
        return any(words in text for words in _SQLITE_OUTAGES)
    if psycopg is not None and isinstance(cause, psycopg.OperationalError):
        return True  # no SQLSTATE: the client lost or never had the connection
    text = str(error).lower()
    return any(words in text for words in _OUTAGE_WORDS + _SQLITE_OUTAGES)


def is_database_outage(error: BaseException) -> bool:
    """True when ``error`` (or what caused it) says the database is unreachable."""
    return any(_is_outage(found) for found in _database_errors(error))  # type: ignore[arg-type]


def outage_kind(error: BaseException) -> str:
    """A short, data-free name of the outage for the log."""
    for found in _database_errors(error):
        cause = found.__cause__
        sqlstate = getattr(cause, "sqlstate", None)
        if sqlstate:
            return f"{type(found).__name__}:{sqlstate}"
        return type(cause or found).__name__
    return type(error).__name__
