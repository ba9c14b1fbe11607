"""SIMI's PostgreSQL backend: the health check paced in time."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.db import close_old_connections, connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend only"),
]


@pytest.fixture(autouse=True)
def persistent(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Connections kept across requests, as in production (tests close them)."""
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    yield
    connection.close()


def _kill(pid: int) -> None:
    """End a server process from another connection, as a database restart does."""
    params = {**connection.get_connection_params()}
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def _pings(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    seen: list[bool] = []
    original = connection.is_usable

    def counted() -> bool:
        seen.append(usable := original())
        return usable

    monkeypatch.setattr(connection, "is_usable", counted)
    return seen


def _request(sql: str = "SELECT 1") -> Any:
    """What a request does: Django's request_started, then one query."""
    close_old_connections()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def test_a_connection_idle_longer_than_the_interval_is_checked_and_replaced(monkeypatch):
    _request()
    pings = _pings(monkeypatch)
    _kill(connection.connection.info.backend_pid)
    connection._checked_at -= 60  # a minute without requests
    # then the next request finds the dead connection before using it, and works
    assert _request("SELECT 2") == (2,)
    assert pings == [False]


def test_a_busy_connection_is_pinged_at_most_once_per_interval(monkeypatch, settings):
    _request()
    pings = _pings(monkeypatch)
    for _ in range(20):
        _request()
    assert pings == []  # within the interval: no round trip spent on checking
    connection._checked_at -= connection.settings_dict.get("HEALTH_CHECK_SECONDS", 1.0)
    _request()
    assert pings == [True]


def test_an_interval_of_zero_checks_every_request_as_django_does(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "HEALTH_CHECK_SECONDS", 0)
    _request()
    pings = _pings(monkeypatch)
    for _ in range(3):
        _request()
    assert pings == [True, True, True]
