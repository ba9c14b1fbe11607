"""The periodic jobs run through the real worker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from simi.payments.models import Bill
from simi.payments.tasks import expire_bills, remind_expiring_bills

# The worker drains the real queue, which needs real commits.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_periodic_jobs_expire_and_remind_through_the_worker(bill, run_jobs, handlers):
    # given a bill that expired a minute ago, and one about to expire
    past = timezone.now() - timedelta(hours=2, minutes=1)
    Bill.objects.filter(pk=bill.pk).update(issued_at=past, expires_at=past + timedelta(hours=2))
    # when the worker runs the periodic jobs
    expire_bills.enqueue()
    remind_expiring_bills.enqueue()
    run_jobs()
    # then the bill is expired and the application's domain was told
    bill.refresh_from_db()
    assert bill.status == Bill.Status.EXPIRED
    assert handlers == [("expired", bill.billing_code)]
