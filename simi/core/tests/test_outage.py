"""Issue 13 F3: while the database is down every page and API call answered
500 ``internal_error`` (only /healthz said 503), with no Retry-After.

A real gunicorn (deploy/gunicorn.conf.py) serves SIMI on a copy of the
suite's database that each test stops and starts: a throwaway PostgreSQL
cluster (pg_ctl stop -m fast, which also ends the web worker's persistent
connection) or, on SQLite, a database folder moved away.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import DatabaseError

from simi.core.outage import is_database_outage
from simi.core.tests.processes import (
    Child,
    Database,
    PostgresCluster,
    child_env,
    free_port,
    http_get,
    start_web,
    stoppable_database,
    wait_until_serving,
)

# Tests that start processes on a copy of the test database (which must exist).
processes = pytest.mark.django_db

PAGE, API = "/", "/api/v1/offices"
EN = {"Accept-Language": "en"}


@contextmanager
def serving(database: Database, tmp_path: Path, **env: str) -> Iterator[int]:
    port = free_port()
    web: Child = start_web(child_env(database.url, **env), tmp_path / "web.log", port=port)
    try:
        wait_until_serving(web, port)
        yield port
    finally:
        web.stop()


@pytest.fixture
def database() -> Iterator[Database]:
    with stoppable_database() as database:
        yield database


def _assert_unavailable_page(status: int, headers: dict[str, str], body: bytes, words: str) -> None:
    assert status == 503, body[:500]
    assert headers["retry-after"].isdigit()
    assert headers["cache-control"] == "no-store"
    page = body.decode()
    assert words in page
    assert "link-button" not in page  # drawn for nobody: no sign-out, no user menu
    assert re.search(r"<code>[0-9a-f]{16}</code>", page), "the support reference is shown"


def _assert_unavailable_api(status: int, headers: dict[str, str], body: bytes) -> dict:
    assert status == 503, body[:500]
    assert headers["retry-after"].isdigit()
    error = json.loads(body)["error"]
    assert error["code"] == "service_unavailable"
    assert error["reference"] == headers["x-request-id"]
    return error


@pytest.mark.processes
@processes
def test_it_answers_503_with_retry_after_while_the_database_is_down(database, tmp_path):
    with serving(database, tmp_path) as port:
        # given SIMI serving pages and the API
        assert http_get(port, PAGE)[0] == 200
        assert http_get(port, API)[0] == 200

        # when the database goes away
        database.stop()

        # then a page is the friendly 503 in the visitor's language, with Retry-After
        _assert_unavailable_page(*http_get(port, PAGE), words="sedang tidak tersedia")
        _assert_unavailable_page(*http_get(port, PAGE, EN), words="briefly unavailable")
        # and so is a page of a signed-in visitor, whose session cannot be read
        _assert_unavailable_page(
            *http_get(
                port, "/akun/", {**EN, "Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz012345"}
            ),
            words="briefly unavailable",
        )
        # and the API answers the envelope, translated
        assert "database" in _assert_unavailable_api(*http_get(port, API, EN))["message"]
        assert "basis data" in _assert_unavailable_api(*http_get(port, API))["message"]
        # and /healthz says what it always said
        status, _headers, body = http_get(port, "/healthz")
        assert status == 503
        assert json.loads(body)["checks"]["database"]["ok"] is False

        # when the database is back, the very next requests succeed (no restart)
        database.start()
        assert http_get(port, PAGE)[0] == 200
        assert http_get(port, API)[0] == 200


@pytest.mark.processes
@processes
def test_a_connection_that_died_between_two_health_checks_is_replaced(database, tmp_path):
    if not isinstance(database, PostgresCluster):
        pytest.skip("persistent connections are PostgreSQL's (SQLite opens one per request)")
    # given a web worker that never pings its persistent connection before use
    with serving(database, tmp_path, SIMI_DB_HEALTH_CHECK_SECONDS="3600") as port:
        assert http_get(port, PAGE)[0] == 200
        assert http_get(port, API)[0] == 200
        # when PostgreSQL restarts between two requests (the connection is dead)
        database.restart()
        # then the next page and API call are answered on a new connection
        assert http_get(port, PAGE)[0] == 200
        assert http_get(port, API)[0] == 200
        # and while it is down they are 503s, not 500s
        database.stop()
        assert http_get(port, PAGE)[0] == 503
        assert http_get(port, API)[0] == 503
        database.start()
        assert http_get(port, API)[0] == 200


@pytest.mark.processes
@processes
def test_each_way_postgresql_says_it_is_not_there_counts_as_an_outage(database):
    if not isinstance(database, PostgresCluster):
        pytest.skip("PostgreSQL's own errors")
    import psycopg
    from django.db.utils import DatabaseErrorWrapper

    class Wrapper:  # what Django's backend does with a driver's error
        Database = psycopg

    def wrapped(call) -> BaseException:
        try:
            with DatabaseErrorWrapper(Wrapper()):
                call()
        except DatabaseError as error:
            return error
        raise AssertionError("no error")

    dsn = {"host": str(database.folder), "port": database.port, "user": "postgres"}
    # a session open while the server is asked to stop (smart mode waits for it)
    held = psycopg.connect(**dsn, dbname="simi", autocommit=True)
    try:
        database._pg("pg_ctl", "-D", str(database.data), "-m", "smart", "-W", "stop")
        # "the database system is shutting down" for a new connection
        shutting = wrapped(lambda: psycopg.connect(**dsn, dbname="simi", connect_timeout=5))
        assert "shutting down" in str(shutting)
        assert is_database_outage(shutting)
        # "terminating connection due to administrator command" for the open one
        database._pg("pg_ctl", "-D", str(database.data), "-m", "fast", "-w", "stop")
        database.running = False
        terminated = wrapped(lambda: held.execute("SELECT 1"))
        assert is_database_outage(terminated)
        # "connection refused" once it is gone
        refused = wrapped(lambda: psycopg.connect(**dsn, dbname="simi", connect_timeout=5))
        assert is_database_outage(refused)
    finally:
        held.close()
    database.start()
    # a fault of the statement itself is not an outage: it stays a 500
    with psycopg.connect(**dsn, dbname="simi", autocommit=True) as db:
        missing = wrapped(lambda: db.execute("SELECT * FROM no_such_table"))
    assert not is_database_outage(missing)


def test_the_unavailable_page_is_drawn_without_the_database(rf, settings):
    # given a request whose user and messages would need the database
    # (pytest-django refuses every query in a test without the db mark)
    from simi.core.views import service_unavailable

    request = rf.get("/akun/", HTTP_ACCEPT_LANGUAGE="en")
    request.request_id = "0123456789abcdef"

    def no_database():
        raise AssertionError("the 503 page touched the user")

    from django.utils.functional import SimpleLazyObject

    request.user = SimpleLazyObject(no_database)
    # when the page is drawn
    response = service_unavailable(request)
    # then it is the page, with Retry-After and no database access
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert b"0123456789abcdef" in response.content


def test_a_sqlite_file_that_cannot_be_opened_is_an_outage(tmp_path):
    import sqlite3

    from django.db.utils import DatabaseErrorWrapper

    class Wrapper:
        Database = sqlite3

    def wrapped(call) -> BaseException:
        try:
            with DatabaseErrorWrapper(Wrapper()):
                call()
        except DatabaseError as error:
            return error
        raise AssertionError("no error")

    gone = wrapped(lambda: sqlite3.connect(tmp_path / "missing" / "simi.sqlite3"))
    assert is_database_outage(gone)
    with sqlite3.connect(tmp_path / "here.sqlite3") as db:
        missing_table = wrapped(lambda: db.execute("SELECT * FROM no_such_table"))
    assert not is_database_outage(missing_table)
