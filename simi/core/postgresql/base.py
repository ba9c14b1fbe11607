"""Django's PostgreSQL backend with two additions for the busiest reads.

A health check paced in time. Django's ``CONN_HEALTH_CHECKS`` pings a
persistent connection (``SELECT 1``) at the start of every request that uses
the database: a round trip that, on the public tracking look-up, cost as much
as the look-up itself. Here the ping runs only when the connection has not
been checked for ``HEALTH_CHECK_SECONDS`` (a key of the database's settings;
default 1 s, 0 pings on every request as Django does). A quiet worker still
pings before its first request after a pause, which is when a database
restart or an idle-connection timeout in between is found; a busy worker pings
once a second. A connection that dies between two pings fails the one request
that finds it, and Django then drops it (``errors_occurred``), so the next
request reconnects.

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

import sys
import time
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import (  # type: ignore[import-untyped]
    register_tzloader,
)
from django.utils.asyncio import async_unsafe
from psycopg.pq import Format

TIMESTAMPTZ_OID = 1184


class PreparingCursor(psycopg.Cursor[Any]):
    def execute(self, query: Any, params: Any = None, *, prepare: bool | None = True,
                binary: bool | None = None) -> PreparingCursor:  # fmt: skip
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    _checked_at = float("-inf")

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
            cursor = PreparingCursor(self.connection)
            loader = self.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
            if self.timezone != loader.timezone:  # as Django's create_cursor does
                register_tzloader(self.timezone, cursor)
            return self._prepare_cursor(cursor)  # type: ignore[attr-defined]
