"""Background jobs of payments: thin, idempotent, ids only."""

from __future__ import annotations

from django_tasks import task


@task()
def expire_bills() -> dict[str, int]:
    """Periodic (every 5 minutes): unpaid bills past their expiry become
    expired, then are reissued or handed to their purpose's "expired"
    handler per the service's billing rule. A second run changes nothing."""
    from simi.payments.services import bills_expire_due

    run = bills_expire_due()
    return {"expired": run.expired, "reissued": run.reissued, "handed_over": run.handed_over}


@task()
def remind_expiring_bills() -> int:
    """Periodic (every 5 minutes): tell payers their bill expires soon
    (30 minutes before for bills of a day or less, else one day before);
    each bill once."""
    from simi.payments.services import bills_remind_expiring

    return bills_remind_expiring()
