"""Reads of bills and reconciliations, scoped to the caller.

A payer sees their own bills (someone else's answers NotFound, like a
missing one); staff see the bills of their office and its service points;
reconciliations are for staff with ``payments:reconcile``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from django.db.models import QuerySet
from django.utils import timezone

from simi.accounts.actors import Actor
from simi.accounts.scoping import scope_by_office
from simi.core.errors import NotFound, PermissionDenied
from simi.payments.models import (
    Bill,
    BillStatus,
    Payment,
    PaymentMethod,
    Reconciliation,
    ReconciliationLine,
)
from simi.payments.owners import owner_expiry
from simi.payments.reconciliation import require_reconciler


def bills_own(actor: Actor) -> QuerySet[Bill]:
    """The actor's bills, newest first (none for anonymous)."""
    if not actor.is_authenticated:
        return Bill.objects.none()
    return Bill.objects.filter(payer=actor).select_related("office", "replaces", "payment")


def bill_get_own(*, actor: Actor, public_id: uuid.UUID) -> Bill:
    found = bills_own(actor).filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    return found


def bill_payment(bill: Bill) -> Payment | None:
    """The payment that paid ``bill`` (its NTPN, the channel's time), or None."""
    if bill.status != BillStatus.PAID:
        return None
    return Payment.objects.filter(bill=bill).first()


def bill_replacement(bill: Bill) -> Bill | None:
    """The bill reissued for the expired ``bill`` (same payer), or None."""
    return Bill.objects.filter(replaces=bill).select_related("office").first()


RenewalOutlook = Literal["", "replaced", "renew", "closed"]


def bill_renewal(bill: Bill, *, now: datetime | None = None) -> RenewalOutlook:
    """What the payer can do about ``bill`` once it can no longer be paid:

    - ``""``: nothing to do (unpaid and still payable, paid, or cancelled);
    - ``"replaced"``: a new bill was issued for it (``bill_replacement``);
    - ``"renew"``: it expired (or its time is up and the expiry job has not
      run yet) and its owner reissues expired bills (for an application, the
      service's billing rule): the payer may ask for the new bill now;
    - ``"closed"``: it expired and its owner does not reissue it (a passport
      application is cancelled; nothing more is to be paid).
    """
    now = now or timezone.now()
    past_due = bill.status == BillStatus.UNPAID and bill.expires_at <= now
    if bill.status != BillStatus.EXPIRED and not past_due:
        return ""
    if bill_replacement(bill) is not None:
        return "replaced"
    return "renew" if owner_expiry(bill).kind == "reissue" else "closed"


def payment_methods() -> QuerySet[PaymentMethod]:
    """The ways to pay a billing code shown to payers, in their order."""
    return PaymentMethod.objects.filter(is_active=True).order_by("sort_order", "code")


def bills_for(*, purpose: str, reference: str) -> QuerySet[Bill]:
    """The bills of one owner (e.g. ``purpose="application"`` and the
    application's public id), newest first; the owner's domain has already
    checked that the actor may see the owner."""
    return (
        Bill.objects.filter(purpose=purpose, reference=reference)
        .select_related("office", "payer")
        .order_by("-issued_at", "-id")
    )


def bills_for_office(*, actor: Actor, status: str | None = None) -> QuerySet[Bill]:
    """Bills of the offices the staff member sees; ``status`` filters."""
    if not actor.is_authenticated or not actor.is_office_staff:
        raise PermissionDenied()
    queryset = scope_by_office(Bill.objects.all(), actor).select_related("office")
    if status in BillStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-issued_at", "-id")


def reconciliations_for(*, actor: Actor) -> QuerySet[Reconciliation]:
    """Imports by the actor's offices (every import for all-office roles)."""
    staff = require_reconciler(actor)
    queryset = Reconciliation.objects.select_related("uploaded_by", "office")
    if not staff.sees_all_offices:
        queryset = scope_by_office(queryset, staff)
    return queryset.order_by("-created_at", "-id")


def reconciliation_get(*, actor: Actor, public_id: uuid.UUID) -> Reconciliation:
    found = reconciliations_for(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    return found


def reconciliation_lines(
    reconciliation: Reconciliation, result: str | None = None
) -> QuerySet[ReconciliationLine]:
    queryset = reconciliation.lines.all()
    if result:
        queryset = queryset.filter(result=result)
    return queryset.order_by("line_number")
