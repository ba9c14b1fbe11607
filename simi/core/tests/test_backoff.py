"""The growing delay under the credential limiter: doubling, capped, forgotten,
one count for every worker, no subject kept in clear."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import RequestFactory
from freezegun import freeze_time

from simi.core.models import RateCounter
from simi.core.ratelimit import Backoff, client_network

POLICY = Backoff("test-backoff", free=3, cap_seconds=10, forget_seconds=60)


@pytest.mark.django_db
def test_it_doubles_the_wait_after_the_free_attempts_up_to_the_cap():
    with freeze_time("2026-06-01 08:00:00", tick=False) as clock:
        # given three free attempts
        assert [POLICY.take("203.0.113.5")[1] for _ in range(3)] == [0, 0, 0]
        waits = []
        for _ in range(6):
            # when the next comes at once it is refused, and not counted
            count_before = POLICY.peek("203.0.113.5")[0]
            counted, wait = POLICY.take("203.0.113.5")
            assert counted == 0
            assert POLICY.peek("203.0.113.5")[0] == count_before
            waits.append(wait)
            # and after the wait it is counted
            clock.tick(wait)
            assert POLICY.take("203.0.113.5")[1] == 0
        # then the waits doubled until the cap
        assert waits == [1, 2, 4, 8, 10, 10]


@pytest.mark.django_db
def test_it_forgets_a_subject_after_a_quiet_time():
    with freeze_time("2026-06-01 08:00:00", tick=False) as clock:
        for _ in range(3):
            POLICY.take("ani@example.test")
        assert POLICY.peek("ani@example.test") == (3, 1)
        # when the delay ends and the quiet time passes with no attempt
        clock.tick(1 + POLICY.forget_seconds)
        # then the subject starts again from nothing, and the purge may drop its row
        assert POLICY.peek("ani@example.test") == (0, 0)
        assert POLICY.take("ani@example.test") == (1, 0)


@pytest.mark.django_db
def test_an_attempt_counted_whatever_the_delay_never_shortens_it():
    with freeze_time("2026-06-01 08:00:00", tick=False):
        for _ in range(3 + 4):
            POLICY.take("x", enforce=False)
        # seven counted: the wait is the one after the seventh (2^4 = 16, capped at 10)
        assert POLICY.peek("x") == (7, 10)
        POLICY.give_back("x")
        assert POLICY.peek("x") == (6, 10)
        POLICY.clear("x")
        assert POLICY.peek("x") == (0, 0)


@pytest.mark.django_db
def test_it_keeps_no_account_or_address_in_clear():
    POLICY.take("ani@example.test\x1f203.0.113.5")
    (key,) = RateCounter.objects.values_list("key", flat=True)
    assert "ani" not in key
    assert "203.0.113" not in key


@pytest.mark.django_db(transaction=True)
def test_workers_guessing_at_once_get_only_the_free_attempts():
    """Eight threads, each with its own database connection like separate
    worker processes, make ten attempts each at the same moment."""
    threads, attempts = 8, 10
    counted: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def worker() -> None:
        try:
            start.wait()
            mine = [POLICY.take("198.51.100.1")[0] for _ in range(attempts)]
            with lock:
                counted.extend(mine)
        finally:
            connections.close_all()

    with freeze_time("2026-06-01 08:00:00", tick=False):
        pool = [threading.Thread(target=worker) for _ in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
    # each attempt that got through has its own number: no two read the same count
    assert sorted(n for n in counted if n) == [1, 2, 3]
    assert RateCounter.objects.get().count == POLICY.free


def _network(remote: str, forwarded: str | None = None) -> str:
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_network(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_an_ipv6_client_counts_as_its_slash_64_and_ipv4_as_itself():
    assert _network("2001:db8:1:2:aaaa::1") == _network("2001:db8:1:2:bbbb::9")
    assert _network("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert _network("2001:db8:1:3::1") != _network("2001:db8:1:2::1")
    assert _network("198.51.100.7") == "198.51.100.7"
    assert _network("::ffff:198.51.100.7") == "198.51.100.7"
    # behind the proxy, the client the proxy saw
    assert _network("127.0.0.1", "10.0.0.1, 2001:db8:5:6::7") == "2001:db8:5:6::/64"
