"""Every write on bills: issue for an application, expire (cancel or
reissue), remind before expiry, cancel with the application.

Keyword-only, atomic, audited with ids and codes only. What a paid or an
expired bill means for the thing it pays for belongs to that domain: the
handlers named in ``settings.SIMI_BILL_HANDLERS[purpose]`` run in the same
transaction. Payment notifications are in ``notifications.py``; statement
imports in ``reconciliation.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.applications.models import Application
from simi.applications.models import Status as ApplicationStatus
from simi.audit.services import audit_record
from simi.catalog.models import BillingRule
from simi.catalog.selectors import billing_rule_for, fee_in_force
from simi.core.errors import Conflict
from simi.core.hooks import named
from simi.notifications.services import notify
from simi.payments import billingcodes
from simi.payments.models import Bill, BillPurpose, BillStatus

logger = logging.getLogger("simi.payments")

# An application in one of these states has nothing (more) to pay.
_NOT_PAYABLE = frozenset(
    {
        ApplicationStatus.DRAFT,
        ApplicationStatus.PAID,
        ApplicationStatus.APPROVED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.ISSUED,
        ApplicationStatus.COLLECTED,
        ApplicationStatus.CANCELLED,
    }
)

# Expiry reminders: bills that live a day or less are reminded 30 minutes
# before they expire (a 2-hour passport bill); longer bills one day before.
SHORT_BILL = timedelta(days=1)
SHORT_BILL_LEAD = timedelta(minutes=30)
LONG_BILL_LEAD = timedelta(days=1)


# --- Handlers of the purpose's domain -----------------------------------------


def bill_handler(purpose: str, event: str) -> Callable[..., Any]:
    """The callable ``settings.SIMI_BILL_HANDLERS[purpose][event]`` names."""
    handlers = getattr(settings, "SIMI_BILL_HANDLERS", {}) or {}
    path = (handlers.get(purpose) or {}).get(event)
    if not path:
        raise ImproperlyConfigured(f"SIMI_BILL_HANDLERS[{purpose!r}][{event!r}] is not set.")
    handler: Callable[..., Any] = named(path)
    return handler


def _dispatch(bill: Bill, event: str) -> None:
    bill_handler(bill.purpose, event)(bill=bill)


# --- Small helpers --------------------------------------------------------------


def new_billing_code() -> str:
    for _attempt in range(5):
        code = billingcodes.generate()
        if not Bill.objects.filter(billing_code=code).exists():
            return code
    raise Conflict(code="billing_code_exhausted")  # 9x10^13 codes: practically never


def _tracking_code(bill: Bill) -> str:
    application = bill.application
    return application.tracking_code_display if application is not None else ""


def bill_notify(bill: Bill, event: str, *, key: str | None = None) -> None:
    """Tell the payer about ``event`` (after commit; once per key)."""
    if bill.payer is None:
        return
    params: dict[str, str | int] = {"billing_code": bill.billing_code}
    if event in ("bill_issued", "bill_expiring", "bill_paid"):
        params["amount"] = bill.amount
    if event in ("bill_issued", "bill_expiring"):
        params["expires_at"] = timezone.localtime(bill.expires_at).isoformat()
    tracking = _tracking_code(bill)
    if tracking:
        params["tracking_code"] = tracking
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
        "amount": bill.amount,
        "office": bill.office.code,
    }
    if bill.application_id is not None:
        data["application"] = str(bill.application.public_id)  # type: ignore[union-attr]
    data.update(extra)
    return data


def _expiry_minutes(rule: BillingRule | None) -> int:
    if rule is None:
        raise Conflict(
            _("No billing rule is set for this service; the office must set one first."),
            code="billing_rule_missing",
        )
    return int(rule.expiry_minutes)


# --- Issue ------------------------------------------------------------------------


def _check_payable(application: Application) -> None:
    if application.submitted_at is None or application.fee_total_at_submit is None:
        raise Conflict(_("Only a submitted application can be billed."), code="not_submitted")
    if application.status in _NOT_PAYABLE:
        raise Conflict(
            _("This application has nothing to pay in its current state."),
            code="application_not_payable",
        )


@transaction.atomic
def bill_issue_for_application(*, actor: Any, application: Application) -> Bill:
    """The bill for ``application``'s fees as in force on its submission day.

    Returns the unpaid bill when one exists already (calling twice issues one
    bill). Conflict when the application is not payable, already paid, when
    the catalogue's fees for that day no longer add up to the fee fixed at
    submission (``fee_mismatch``), when there is nothing to pay, or when the
    service has no billing rule.
    """
    application = Application.objects.select_related("service_type", "office", "applicant").get(
        pk=application.pk
    )
    _check_payable(application)
    existing = (
        Bill.objects.filter(
            purpose=BillPurpose.APPLICATION, application=application, status=BillStatus.UNPAID
        )
        .select_related("office", "application")
        .first()
    )
    if existing is not None:
        return existing
    if Bill.objects.filter(application=application, status=BillStatus.PAID).exists():
        raise Conflict(_("This application is already paid."), code="already_paid")
    assert application.submitted_at is not None  # checked above; for the type checker
    submitted_on = timezone.localdate(application.submitted_at)
    fees = fee_in_force(application.service_type, submitted_on)
    if not fees.is_set or fees.total != application.fee_total_at_submit:
        raise Conflict(
            _(
                "The fee recorded at submission does not match the catalogue for that day; "
                "the office must check the fee history."
            ),
            code="fee_mismatch",
        )
    if fees.total <= 0:
        raise Conflict(_("There is nothing to pay for this service."), code="nothing_to_pay")
    minutes = _expiry_minutes(billing_rule_for(application.service_type))
    service = application.service_type
    lines = [
        {
            "component": fee.component,
            "label_id": fee.label_id or service.name_id,
            "label_en": fee.label_en or service.name_en or service.name_id,
            "amount": fee.amount,
            "legal_basis": fee.legal_basis,
        }
        for fee in fees.fees
    ]
    now = timezone.now()
    try:
        with transaction.atomic():
            bill = Bill.objects.create(
                billing_code=new_billing_code(),
                purpose=BillPurpose.APPLICATION,
                application=application,
                office=application.office,
                payer=application.applicant,
                amount=fees.total,
                lines=lines,
                status=BillStatus.UNPAID,
                issued_at=now,
                expires_at=now + timedelta(minutes=minutes),
            )
    except IntegrityError:
        # Another call issued the application's bill at the same moment: the
        # partial unique constraint picked it; answer with that one.
        winner = Bill.objects.filter(
            purpose=BillPurpose.APPLICATION, application=application, status=BillStatus.UNPAID
        ).first()
        if winner is None:
            raise
        return winner
    audit_record(
        actor=actor,
        action="bill.issued",
        target=bill,
        data=_audit_data(bill, expires_at=bill.expires_at.isoformat(), service=service.code),
    )
    bill_notify(bill, "bill_issued")
    return bill


@transaction.atomic
def bill_cancel_for_application(*, actor: Any, application: Application) -> Bill | None:
    """Cancel the application's unpaid bill (when the application is
    cancelled or rejected before payment); None when there is none."""
    bill = (
        Bill.objects.select_for_update(of=("self",))
        .filter(purpose=BillPurpose.APPLICATION, application=application, status=BillStatus.UNPAID)
        .first()
    )
    if bill is None:
        return None
    bill.status = BillStatus.CANCELLED
    bill.closed_at = timezone.now()
    bill.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(actor=actor, action="bill.cancelled", target=bill, data=_audit_data(bill))
    return bill


# --- Expiry -------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpiryRun:
    expired: int
    reissued: int
    handed_over: int  # the purpose's "expired" handler ran (rule: cancel)


def _reissue(bill: Bill, *, rule: BillingRule | None, now: datetime) -> Bill:
    """A new code for the same amount and lines as ``bill`` (never today's fee)."""
    new = Bill.objects.create(
        billing_code=new_billing_code(),
        purpose=bill.purpose,
        application=bill.application,
        office=bill.office,
        payer=bill.payer,
        amount=bill.amount,
        lines=bill.lines,
        status=BillStatus.UNPAID,
        issued_at=now,
        expires_at=now + timedelta(minutes=_expiry_minutes(rule)),
        replaces=bill,
    )
    audit_record(
        actor=None,
        action="bill.reissued",
        target=new,
        data=_audit_data(new, replaces=bill.billing_code, expires_at=new.expires_at.isoformat()),
    )
    bill_notify(new, "bill_issued")
    return new


def _still_payable(bill: Bill) -> bool:
    application = bill.application
    return application is None or application.status not in _NOT_PAYABLE


def bill_expire(*, bill_id: int, now: datetime | None = None) -> str:
    """Expire one bill if it is still unpaid and past its expiry, then apply
    its service's rule. Returns what happened: "", "reissued", "handed_over"
    or "expired". Safe to call twice: the second call finds it expired."""
    now = now or timezone.now()
    with transaction.atomic():
        bill = (
            Bill.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=bill_id, status=BillStatus.UNPAID, expires_at__lte=now)
            .select_related("application__service_type", "office", "payer")
            .first()
        )
        if bill is None:
            return ""
        bill.status = BillStatus.EXPIRED
        bill.closed_at = now
        bill.save(update_fields=["status", "closed_at", "updated_at"])
        audit_record(actor=None, action="bill.expired", target=bill, data=_audit_data(bill))
        application = bill.application
        rule = billing_rule_for(application.service_type) if application is not None else None
        on_expiry = rule.on_expiry if rule is not None else BillingRule.OnExpiry.CANCEL
        if not _still_payable(bill):
            return "expired"  # e.g. the application was cancelled meanwhile
        if on_expiry == BillingRule.OnExpiry.REISSUE:
            _reissue(bill, rule=rule, now=now)
            return "reissued"
        bill_notify(bill, "bill_expired")
        _dispatch(bill, "expired")
        return "handed_over"


def bills_expire_due(*, now: datetime | None = None, batch: int = 500) -> ExpiryRun:
    """Every unpaid bill past its expiry: expired, then cancelled or reissued
    per its service's billing rule. One transaction per bill, so one failing
    handler does not hold back the others; running it again changes nothing."""
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
    ).select_related("application", "payer")
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


# --- Charges decided in other domains ----------------------------------------------


@transaction.atomic
def bill_issue_for_charge(
    *,
    actor: Any,
    office: Any,
    payer: Any,
    amount: int,
    lines: list[dict[str, Any]],
    reference: str,
    expiry_minutes: int,
    purpose: str = BillPurpose.OVERSTAY_CHARGE,
    replaces: Bill | None = None,
) -> Bill:
    """A bill for a charge another domain decided (an overstay charge of an
    enforcement case): same billing codes, expiry and handlers as an
    application's bill.

    ``amount`` and ``lines`` come from that domain's data, never from code;
    ``reference`` names the subject (the case's public id); ``payer`` is the
    foreigner's SIMI account or None (then the bill is handed over on paper).
    ``expiry_minutes`` is the charge's billing rule (data of the deciding
    domain). Returns the unpaid bill of the same purpose and reference when
    one exists, so a repeated call issues one bill. ``replaces``: the expired
    bill this one reissues (amount and lines copied by the caller).
    """
    if purpose == BillPurpose.APPLICATION or purpose not in BillPurpose.values:
        raise Conflict(code="charge_purpose_unknown")
    if amount <= 0:
        raise Conflict(_("There is nothing to pay for this charge."), code="nothing_to_pay")
    if sum(int(line["amount"]) for line in lines) != amount:
        raise Conflict(code="charge_lines_mismatch")
    if expiry_minutes < 1:
        raise Conflict(code="charge_expiry_invalid")
    existing = (
        Bill.objects.filter(purpose=purpose, reference=reference, status=BillStatus.UNPAID)
        .select_related("office")
        .first()
    )
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            bill = Bill.objects.create(
                billing_code=new_billing_code(),
                purpose=purpose,
                reference=reference,
                office=office,
                payer=payer,
                amount=amount,
                lines=lines,
                status=BillStatus.UNPAID,
                issued_at=now,
                expires_at=now + timedelta(minutes=expiry_minutes),
                replaces=replaces,
            )
    except IntegrityError:
        winner = Bill.objects.filter(
            purpose=purpose, reference=reference, status=BillStatus.UNPAID
        ).first()
        if winner is None:
            raise
        return winner
    extra: dict[str, Any] = {"reference": reference, "expires_at": bill.expires_at.isoformat()}
    if replaces is not None:
        extra["replaces"] = replaces.billing_code
    audit_record(
        actor=actor,
        action="bill.reissued" if replaces is not None else "bill.issued",
        target=bill,
        data=_audit_data(bill, **extra),
    )
    bill_notify(bill, "bill_issued")
    return bill
