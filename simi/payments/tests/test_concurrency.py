"""Copies of one notification arriving at the same moment (PostgreSQL: real
concurrency; SQLite serializes writers, see test_payment_notifications)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from simi.payments.models import Bill, Payment
from simi.payments.tests.conftest import notification, post_signed

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL"
    ),
]


def test_concurrent_copies_of_a_notification_make_one_payment(bill, channel, handlers):
    # given six copies of the same notification sent at once
    barrier = threading.Barrier(6)
    statuses: list[int] = []
    bodies: list[dict] = []

    def send() -> None:
        try:
            barrier.wait()
            response = post_signed(Client(), notification(bill))
            statuses.append(response.status_code)
            bodies.append(response.json())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then every copy got the same 200 answer and the bill was paid once
    assert statuses == [200] * 6
    assert all(body == bodies[0] for body in bodies)
    assert Payment.objects.count() == 1
    assert Bill.objects.get(pk=bill.pk).status == Bill.Status.PAID
    assert handlers == [("paid", bill.billing_code)]


def test_concurrent_payments_of_one_bill_with_two_references_pay_it_once(bill, channel):
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def send(reference: str) -> None:
        try:
            barrier.wait()
            statuses.append(
                post_signed(Client(), notification(bill, reference=reference)).status_code
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(ref,)) for ref in ("BNI-1", "BRI-1")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    assert Payment.objects.count() == 1


def test_concurrent_requests_for_a_new_bill_make_one(bill, awaiting, ani, client_for):
    from datetime import timedelta

    from django.utils import timezone

    from simi.payments.tests.test_bills import reissue_on_expiry

    # given a reissuing service and a bill whose time is up
    reissue_on_expiry(awaiting.service_type)
    now = timezone.now()
    Bill.objects.filter(pk=bill.pk).update(
        issued_at=now - timedelta(hours=3), expires_at=now - timedelta(hours=1)
    )
    url = f"/pembayaran/{bill.public_id}/tagihan-baru/"
    clients = [client_for(ani) for _ in range(4)]
    barrier = threading.Barrier(4)
    locations: list[str] = []

    def ask(client: Client) -> None:
        try:
            barrier.wait()
            locations.append(client.post(url)["Location"])
        finally:
            connections.close_all()

    # when four tabs ask for a new bill at the same moment
    threads = [threading.Thread(target=ask, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then there is one new bill and every answer leads to it
    new = Bill.objects.get(replaces=bill)
    assert Bill.objects.count() == 2
    assert locations == [f"/pembayaran/{new.public_id}/"] * 4
