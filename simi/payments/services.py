"""Every write on bills, for any owner: issue, cancel, reissue, expire,
remind before expiry.

A bill's owner lives in a domain above payments and is named by data only,
``(purpose, reference)``; the owner decides the amount, the lines and how
long a bill can be paid (the billing module of applications for application
fees, the actions of enforcement for overstay charges), and what a payment
or an expiry means (its handlers, ``owners.py``).

Keyword-only, atomic, audited with ids and codes only. Payment
notifications are in ``payment_notices.py``; statement imports in
``reconciliation.py``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor, signed_in
from simi.accounts.models import User
from simi.audit.services import audit_record
from simi.core.errors import Conflict, NotFound
from simi.core.models import Office
from simi.notifications.services import notify
from simi.payments import billingcodes
from simi.payments.codes import Action, Code
from simi.payments.models import Bill, BillPurpose, BillStatus
from simi.payments.owners import owner_expiry, owner_told

logger = logging.getLogger("simi.payments")

# Expiry reminders: bills that live a day or less are reminded 30 minutes
# before they expire (a 2-hour passport bill); longer bills one day before.
SHORT_BILL = timedelta(days=1)
SHORT_BILL_LEAD = timedelta(minutes=30)
LONG_BILL_LEAD = timedelta(days=1)

MAX_REFERENCE = 64


# --- Small helpers --------------------------------------------------------------


def new_billing_code() -> str:
    for _attempt in range(5):
        code = billingcodes.generate()
        if not Bill.objects.filter(billing_code=code).exists():
            return code
    raise Conflict(code=Code.BILLING_CODE_EXHAUSTED)  # 9x10^13 codes: practically never


def bill_notify(bill: Bill, event: str, *, key: str | None = None) -> None:
    """Tell the payer about ``event`` (after commit; once per key)."""
    if bill.payer is None:
        return
    params: dict[str, str | int] = {"billing_code": bill.billing_code}
    if event in ("bill_issued", "bill_expiring", "bill_paid"):
        params["amount"] = bill.amount
    if event in ("bill_issued", "bill_expiring"):
        params["expires_at"] = timezone.localtime(bill.expires_at).isoformat()
    if bill.owner_code:
        params["tracking_code"] = bill.owner_code
    notify(
        event=event,
        recipient=bill.payer,
        key=key or f"{event}:{bill.public_id}",
        params=params,
        link=reverse("payments:bill", args=[bill.public_id]),
    )


def _audit_data(bill: Bill, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "billing_code": bill.billing_code,
        "purpose": bill.purpose,
        "owner": bill.reference,
        "amount": bill.amount,
        "office": bill.office.code,
    }
    data.update(extra)
    return data


def _unpaid(purpose: str, reference: str) -> Bill | None:
    return (
        Bill.objects.filter(purpose=purpose, reference=reference, status=BillStatus.UNPAID)
        .select_related("office", "payer")
        .first()
    )


# --- Issue ------------------------------------------------------------------------


@transaction.atomic
def bill_issue(
    *,
    actor: Actor | None,
    purpose: str,
    reference: str,
    office: Office,
    payer: User | None,
    amount: int,
    lines: list[dict[str, Any]],
    valid_for: timedelta,
    owner_code: str = "",
    owner_label_id: str = "",
    owner_label_en: str = "",
    audit_data: dict[str, Any] | None = None,
) -> Bill:
    """A bill of ``amount`` for the owner ``(purpose, reference)``, payable for
    ``valid_for``; the payer is told (``bill_issued``).

    The owner decides everything it costs: ``amount`` and ``lines`` come from
    its data, never from code (each line: ``component``, ``label_id``,
    ``label_en``, ``amount``, ``legal_basis``; they add up to ``amount``).
    ``reference`` is the owner's public id, ``payer`` its payer's account or
    None (the bill is then handed over on paper). ``owner_code`` (e.g. the
    application's tracking code) and the labels are what the payer knows the
    owner by; pages, the API and notifications show them. ``audit_data`` adds
    the owner's own ids or codes to the audit entry.

    Returns the owner's unpaid bill when it has one (calling twice issues one
    bill, also when two calls race: the unique constraint picks one).
    """
    if purpose not in BillPurpose.values:
        raise Conflict(code=Code.CHARGE_PURPOSE_UNKNOWN)
    if not reference or len(reference) > MAX_REFERENCE:
        raise Conflict(code=Code.BILL_OWNER_INVALID)
    if amount <= 0:
        raise Conflict(_("There is nothing to pay for this charge."), code=Code.NOTHING_TO_PAY)
    if sum(int(line["amount"]) for line in lines) != amount:
        raise Conflict(code=Code.CHARGE_LINES_MISMATCH)
    if valid_for < timedelta(minutes=1):
        raise Conflict(code=Code.CHARGE_EXPIRY_INVALID)
    existing = _unpaid(purpose, reference)
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            bill = Bill.objects.create(
                billing_code=new_billing_code(),
                purpose=purpose,
                reference=reference,
                owner_code=owner_code,
                owner_label_id=owner_label_id,
                owner_label_en=owner_label_en,
                office=office,
                payer=payer,
                amount=amount,
                lines=lines,
                status=BillStatus.UNPAID,
                issued_at=now,
                expires_at=now + valid_for,
            )
    except IntegrityError:
        # Another call issued the owner's bill at the same moment: the
        # partial unique constraint picked it; answer with that one.
        winner = _unpaid(purpose, reference)
        if winner is None:
            raise
        return winner
    audit_record(
        actor=actor,
        action=Action.BILL_ISSUED,
        target=bill,
        data=_audit_data(bill, expires_at=bill.expires_at.isoformat(), **(audit_data or {})),
    )
    bill_notify(bill, "bill_issued")
    return bill


@transaction.atomic
def bill_reissue(
    *, actor: Actor | None, bill: Bill, valid_for: timedelta, now: datetime | None = None
) -> Bill:
    """A new code for the expired ``bill``: the same owner, payer, amount and
    lines (never today's fee), payable for ``valid_for``; audited
    ``payments.bill_reissued``, the payer told the new code. A bill is reissued once."""
    if bill.status != BillStatus.EXPIRED:
        raise Conflict(_("Only an expired bill can be reissued."), code=Code.BILL_NOT_EXPIRED)
    if valid_for < timedelta(minutes=1):
        raise Conflict(code=Code.CHARGE_EXPIRY_INVALID)
    now = now or timezone.now()
    new = Bill.objects.create(
        billing_code=new_billing_code(),
        purpose=bill.purpose,
        reference=bill.reference,
        owner_code=bill.owner_code,
        owner_label_id=bill.owner_label_id,
        owner_label_en=bill.owner_label_en,
        office=bill.office,
        payer=bill.payer,
        amount=bill.amount,
        lines=bill.lines,
        status=BillStatus.UNPAID,
        issued_at=now,
        expires_at=now + valid_for,
        replaces=bill,
    )
    audit_record(
        actor=actor,
        action=Action.BILL_REISSUED,
        target=new,
        data=_audit_data(new, replaces=bill.billing_code, expires_at=new.expires_at.isoformat()),
    )
    bill_notify(new, "bill_issued")
    return new


@transaction.atomic
def bill_cancel(*, actor: Actor | None, purpose: str, reference: str) -> Bill | None:
    """Cancel the owner's unpaid bill (e.g. its application was cancelled or
    rejected before payment); None when there is none."""
    bill = (
        Bill.objects.select_for_update(of=("self",), no_key=True)
        .filter(purpose=purpose, reference=reference, status=BillStatus.UNPAID)
        .select_related("office")
        .first()
    )
    if bill is None:
        return None
    bill.status = BillStatus.CANCELLED
    bill.closed_at = timezone.now()
    bill.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(actor=actor, action=Action.BILL_CANCELLED, target=bill, data=_audit_data(bill))
    return bill


# --- Expiry -------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpiryRun:
    expired: int
    reissued: int
    handed_over: int  # the owner's "expired" handler ran


def bill_expire(*, bill_id: int, now: datetime | None = None) -> str:
    """Expire one bill if it is still unpaid and past its expiry, then do what
    its owner answers (``owners.owner_expiry``): reissue it, let it lapse, or
    tell the payer and hand it over to the owner's ``expired`` handler.
    Returns what happened: "", "reissued", "handed_over" or "expired". Safe
    to call twice: the second call finds it expired."""
    now = now or timezone.now()
    with transaction.atomic():
        bill = (
            Bill.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
            .filter(pk=bill_id, status=BillStatus.UNPAID, expires_at__lte=now)
            .select_related("office", "payer")
            .first()
        )
        if bill is None:
            return ""
        bill.status = BillStatus.EXPIRED
        bill.closed_at = now
        bill.save(update_fields=["status", "closed_at", "updated_at"])
        audit_record(actor=None, action=Action.BILL_EXPIRED, target=bill, data=_audit_data(bill))
        answer = owner_expiry(bill)
        if answer.kind == "lapse":
            return "expired"  # e.g. the application was cancelled meanwhile
        if answer.kind == "reissue":
            assert answer.valid_for is not None  # checked by owner_expiry
            bill_reissue(actor=None, bill=bill, valid_for=answer.valid_for, now=now)
            return "reissued"
        bill_notify(bill, "bill_expired")
        owner_told(bill, "expired")
        return "handed_over"


def bills_expire_due(*, now: datetime | None = None, batch: int = 500) -> ExpiryRun:
    """Every unpaid bill past its expiry: expired, then reissued, handed over
    or left to lapse as its owner answers. One transaction per bill, so one
    failing handler does not hold back the others; running it again changes
    nothing."""
    now = now or timezone.now()
    due = list(
        Bill.objects.filter(status=BillStatus.UNPAID, expires_at__lte=now)
        .order_by("expires_at", "id")
        .values_list("id", flat=True)[:batch]
    )
    outcomes = [bill_expire(bill_id=bill_id, now=now) for bill_id in due]
    return ExpiryRun(
        expired=sum(1 for o in outcomes if o),
        reissued=outcomes.count("reissued"),
        handed_over=outcomes.count("handed_over"),
    )


# --- The payer asks for a new code --------------------------------------------------


@dataclass(frozen=True)
class Renewal:
    """The answer to the payer's "get a new bill": the new bill (None when
    the owner does not reissue, e.g. a passport application is cancelled)
    and whether this call made it (False: an earlier call or the expiry job
    did, so a repeated request changes nothing)."""

    bill: Bill | None
    created: bool


@transaction.atomic
def bill_renew(*, actor: Actor, bill: Bill, now: datetime | None = None) -> Renewal:
    """The payer of ``bill`` asks for a new billing code because the old one
    can no longer be paid. What follows is the owner's rule, as on expiry:

    - a bill still payable: Conflict ``bill_still_payable``; paid or
      cancelled: Conflict ``bill_not_renewable``;
    - a bill already reissued: that new bill (created False);
    - a bill whose time is up but which the expiry job has not reached yet:
      it is expired now, exactly as the job would (``bill_expire``), and its
      owner's answer applies (a reissue gives the new bill; a hand-over
      cancels what it was for and gives None);
    - an expired bill without a new one: reissued if its owner now says so
      (``owners.owner_expiry``), else None.

    The bill's row lock makes two requests at once give one new bill; the
    unique ``bill_reissued_once`` backs it. A new bill is audited
    ``payments.bill_renewal_requested`` with the payer as actor.
    """
    payer = signed_in(actor)
    now = now or timezone.now()
    locked = (
        Bill.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk=bill.pk, payer=payer)
        .select_related("office", "payer")
        .first()
    )
    if locked is None:
        raise NotFound()
    existing = Bill.objects.filter(replaces=locked).first()
    if existing is not None:
        return Renewal(existing, created=False)
    if locked.status == BillStatus.UNPAID and locked.expires_at > now:
        raise Conflict(
            _("This bill can still be paid; pay it before the time shown."),
            code=Code.BILL_STILL_PAYABLE,
        )
    if locked.status in (BillStatus.PAID, BillStatus.CANCELLED):
        raise Conflict(_("This bill cannot be renewed."), code=Code.BILL_NOT_RENEWABLE)
    new: Bill | None = None
    if locked.status == BillStatus.UNPAID:
        if bill_expire(bill_id=locked.pk, now=now) == "reissued":
            new = Bill.objects.get(replaces=locked)
    else:
        answer = owner_expiry(locked)
        if answer.kind == "reissue":
            assert answer.valid_for is not None  # checked by owner_expiry
            new = bill_reissue(actor=actor, bill=locked, valid_for=answer.valid_for, now=now)
    if new is None:
        return Renewal(None, created=False)
    audit_record(
        actor=actor,
        action=Action.BILL_RENEWAL_REQUESTED,
        target=new,
        data=_audit_data(new, replaces=locked.billing_code),
    )
    return Renewal(new, created=True)


# --- Reminders ------------------------------------------------------------------------


def reminder_lead(bill: Bill) -> timedelta:
    """How long before expiry the payer is reminded (see SHORT_BILL)."""
    return SHORT_BILL_LEAD if bill.expires_at - bill.issued_at <= SHORT_BILL else LONG_BILL_LEAD


def bills_remind_expiring(*, now: datetime | None = None) -> int:
    """Remind payers of unpaid bills about to expire; each bill once.

    The reminder is claimed with a conditional update, so two workers (or a
    repeated run) send it once; a bill issued inside its own lead time (a
    reissue a minute before a job) is still reminded once."""
    now = now or timezone.now()
    candidates = Bill.objects.filter(
        status=BillStatus.UNPAID,
        expiry_reminded_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + max(SHORT_BILL_LEAD, LONG_BILL_LEAD),
    ).select_related("payer")
    sent = 0
    for bill in candidates.order_by("expires_at", "id"):
        if bill.expires_at - reminder_lead(bill) > now:
            continue
        with transaction.atomic():
            claimed = Bill.objects.filter(
                pk=bill.pk, status=BillStatus.UNPAID, expiry_reminded_at__isnull=True
            ).update(expiry_reminded_at=now)
            if not claimed:
                continue
            bill_notify(bill, "bill_expiring")
            sent += 1
    return sent
