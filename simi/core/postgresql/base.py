"""Django's PostgreSQL backend with two additions for the busiest reads.

A health check paced in time. Django's ``CONN_HEALTH_CHECKS`` pings a
persistent connection (``SELECT 1``) at the start of every request that uses
the database: a round trip that, on the public tracking look-up, cost as much
as the look-up itself. Here the ping runs only when the connection has not
been checked for ``HEALTH_CHECK_SECONDS`` (a key of the database's settings;
default 1 s, 0 pings on every request as Django does). A quiet worker still
pings before its first request after a pause, which is when a database
restart or an idle-connection timeout in between is found; a busy worker pings
once a second. A connection that dies between two pings (the server
restarted, a proxy dropped it) is found by the request's first statement:
when that statement only reads and no transaction is open, it is sent again
once on a new connection (``_resend_read_on_new_connection``), so the request
succeeds if the database is back and answers 503 if it is not
(``simi.core.outage``). A write, or anything inside a transaction, is never
sent twice: the request fails, and Django drops the connection
(``errors_occurred``) so the next one reconnects.

A cursor that prepares its statements (``prepared_cursor``). Django binds
parameters on the client and turns psycopg's prepared statements off, so
PostgreSQL parses and plans every query anew; for the tracking look-up (five
tables) planning took longer than running. This cursor sends the parameters
apart from the SQL and prepares each statement on its connection the first
time (psycopg keeps the 100 most recent), so the server reuses its plan. Only
callers that ask for it get it: server-side binding does not suit every
statement Django writes (docs/architecture.md). A pooler in front of
PostgreSQL must keep prepared statements (PgBouncer 1.21+
``max_prepared_statements``) or run in session mode.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import psycopg
from django.db import InterfaceError, OperationalError
from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import (  # type: ignore[import-untyped]
    register_tzloader,
)
from django.utils.asyncio import async_unsafe
from psycopg.pq import Format

TIMESTAMPTZ_OID = 1184
logger = logging.getLogger("simi.db")


class PreparingCursor(psycopg.Cursor[Any]):
    def execute(self, query: Any, params: Any = None, *, prepare: bool | None = True,
                binary: bool | None = None) -> PreparingCursor:  # fmt: skip
        return super().execute(query, params, prepare=prepare, binary=binary)


def _connection_lost(db: DatabaseWrapper) -> bool:
    raw = db.connection
    return raw is None or bool(raw.closed) or bool(raw.broken)


def _resend_read_on_new_connection(
    execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """An execute wrapper: a read that met a lost connection, outside any
    transaction, is sent once more on a fresh connection. Reading twice is
    harmless; nothing else is repeated."""
    try:
        return execute(sql, params, many, context)
    except (OperationalError, InterfaceError):
        db: DatabaseWrapper = context["connection"]
        wrapper = context["cursor"]
        if (
            many
            or db.in_atomic_block
            or not db.autocommit
            or not isinstance(sql, str)
            or not sql.lstrip()[:6].lower() == "select"
            or isinstance(wrapper.cursor, psycopg.ServerCursor)
            or not _connection_lost(db)
        ):
            raise
        logger.warning("database_connection_lost", extra={"retried": True})
        db.close()
        db.ensure_connection()  # still down: raises, and the caller answers 503
        with db.wrap_database_errors:
            wrapper.cursor = db._cursor_like(wrapper.cursor)
        return execute(sql, params, many, context)


class DatabaseWrapper(base.DatabaseWrapper):
    _checked_at = float("-inf")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(_resend_read_on_new_connection)

    def _cursor_like(self, old: Any) -> Any:
        """A new raw cursor of the same kind as ``old``, on the current connection."""
        if isinstance(old, PreparingCursor):
            return self._preparing_cursor()
        return self.create_cursor()

    def close_if_health_check_failed(self) -> None:
        enabled = self.health_check_enabled  # type: ignore[attr-defined]
        if self.connection is None or not enabled or self.health_check_done:  # type: ignore[has-type]
            return
        now = time.monotonic()
        if now - self._checked_at < self.settings_dict.get("HEALTH_CHECK_SECONDS", 1.0):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
        self._checked_at = now if self.connection is not None else float("-inf")

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        if connection.prepare_threshold is None:  # Django's default: psycopg prepares nothing
            # Django's own cursors bind on the client and are never prepared; a
            # threshold never reached lets only prepared_cursor's statements be.
            connection.prepare_threshold = sys.maxsize
        return connection

    def connect(self) -> None:
        super().connect()
        self._checked_at = time.monotonic()  # a new connection needs no ping

    @async_unsafe
    def prepared_cursor(self) -> Any:
        """A Django cursor (wrappers, query log) whose parameters are bound by
        the server, so a query run often on this connection is prepared."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(self._preparing_cursor())  # type: ignore[attr-defined]

    def _preparing_cursor(self) -> PreparingCursor:
        cursor = PreparingCursor(self.connection)
        loader = self.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        if self.timezone != loader.timezone:  # as Django's create_cursor does
            register_tzloader(self.timezone, cursor)
        return cursor
