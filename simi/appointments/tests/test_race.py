"""Real concurrency on PostgreSQL: separate connections, one per thread.

SQLite runs every write transaction one after the other (BEGIN IMMEDIATE),
so a race cannot happen there; these tests prove the PostgreSQL row locks.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from django.db import connection, connections

from simi.accounts.tests.factories import UserFactory
from simi.applications.tests.conftest import give_identity
from simi.appointments import services
from simi.appointments.models import Booking, BookingStatus, Ticket
from simi.appointments.tests.conftest import set_places, submitted_application
from simi.core.errors import Conflict

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serializes all writers, so there is no race to lose",
    ),
]

WEDNESDAY = date(2026, 8, 12)
RACERS = 8


def _applicants(count: int, first: int = 0) -> list[tuple[Any, Any]]:
    pairs = []
    for n in range(first, first + count):
        user = UserFactory(email=f"racer{n}@example.test")
        give_identity(user, nik=f"18040417088500{n + 10:02d}", name=f"Racer {n}")
        pairs.append((user, submitted_application(user)))
    return pairs


def test_the_last_place_has_exactly_one_winner(schedule):
    # given a morning session with 3 places, 2 of them taken
    set_places("ulp-liwa", "pagi", "passport", 3)
    early = _applicants(2)
    for user, app in early:
        services.booking_create(actor=user, application=app, day=WEDNESDAY, session_code="pagi")
    racers = _applicants(RACERS, first=2)
    start = threading.Barrier(RACERS)

    def race(pair: tuple[Any, Any]) -> str:
        user, app = pair
        try:
            start.wait()
            services.booking_create(actor=user, application=app, day=WEDNESDAY, session_code="pagi")
            return "won"
        except Conflict as exc:
            return exc.code
        finally:
            connections.close_all()

    # when eight applicants book the last place at the same moment
    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        outcomes = list(pool.map(race, racers))

    # then exactly one wins and every other gets a clean 409 "slot_full"
    assert outcomes.count("won") == 1
    assert sorted(set(outcomes) - {"won"}) == ["slot_full"]
    taken = Booking.objects.filter(day=WEDNESDAY, session__code="pagi", status=BookingStatus.BOOKED)
    assert taken.count() == 3


def test_two_counters_calling_at_once_never_call_the_same_number(schedule, officer, liwa):
    for reason in ("elderly", "pregnant"):
        services.walk_in_register(actor=officer, office=liwa, kind="passport", reason=reason)
    callers = 6
    start = threading.Barrier(callers)

    def call(n: int) -> str | None:
        try:
            start.wait()
            ticket = services.queue_call_next(actor=officer, office=liwa, counter=f"Loket {n}")
            return ticket.display if ticket else None
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=callers) as pool:
        called = [number for number in pool.map(call, range(callers)) if number]

    assert sorted(called) == ["P-001", "P-002"]
    assert Ticket.objects.filter(status="called").count() == 2
