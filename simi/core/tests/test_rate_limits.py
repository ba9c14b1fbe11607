"""The rate limiter: one count for all worker processes, windows that end, no addresses kept."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from simi.core.models import RateCounter
from simi.core.ratelimit import hit, purge_expired


@pytest.mark.django_db
def test_the_limit_holds_for_the_window_then_opens_again():
    answers = [hit("t", "203.0.113.5", limit=3, window_seconds=60) for _ in range(5)]
    assert answers == [True, True, True, False, False]
    # another key has its own count
    assert hit("t", "203.0.113.6", limit=3, window_seconds=60)
    # when the window has ended, counting starts again at one
    RateCounter.objects.update(expires_at=0)
    assert hit("t", "203.0.113.5", limit=3, window_seconds=60)
    assert RateCounter.objects.get(count=1, expires_at__gt=0)


@pytest.mark.django_db
def test_counters_keep_no_address_or_name():
    hit("login-account", "ani@example.test", limit=5, window_seconds=900)
    hit("track", "203.0.113.5", limit=5, window_seconds=60)
    keys = list(RateCounter.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert not any("ani" in key or "203.0.113" in key for key in keys)


@pytest.mark.django_db
def test_ended_windows_are_purged_and_running_ones_kept():
    hit("t", "a", limit=5, window_seconds=60)
    hit("t", "b", limit=5, window_seconds=60)
    ended = RateCounter.objects.order_by("key").first()
    RateCounter.objects.filter(pk=ended.pk).update(expires_at=1)
    assert purge_expired() == 1
    assert RateCounter.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_workers_counting_at_once_share_one_limit():
    """Eight threads, each with its own database connection like separate
    worker processes, make 10 attempts each against a limit of 50."""
    limit, threads, attempts = 50, 8, 10
    allowed: list[bool] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def worker() -> None:
        try:
            start.wait()
            mine = [hit("race", "198.51.100.1", limit=limit, window_seconds=60)
                    for _ in range(attempts)]  # fmt: skip
            with lock:
                allowed.extend(mine)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert len(allowed) == threads * attempts
    assert allowed.count(True) == limit
    assert RateCounter.objects.get().count == threads * attempts
