"""An application's fee as a bill: what it costs, how long it can be paid
and what an expired bill means. Payments knows bills; this module knows
applications and the catalogue, and owns the rules.

- ``application_bill_issue``: the workflow calls it when an application
  reaches ``awaiting_payment`` (``workflow.record_interview``);
- ``application_bill_cancel``: when it is closed before payment
  (``workflow.release_for_closed``);
- ``bill_on_expiry``: the ``on_expiry`` handler of the purpose
  ``application`` in ``settings.SIMI_BILL_HANDLERS`` (payments asks it when a
  bill has expired: reissue per the service's billing rule, hand over so the
  workflow cancels the application, or let it lapse). The ``paid`` and
  ``expired`` handlers are steps of the workflow (``workflow.bill_paid``,
  ``workflow.bill_expired``).

The bill's owner reference is the application's public id.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.applications.codes import Code
from simi.applications.models import Application, Status
from simi.catalog.models import BillingRule
from simi.catalog.selectors import billing_rule_for, fee_in_force
from simi.core.errors import Conflict, NotFound
from simi.payments import codes as payments_codes
from simi.payments.models import Bill, BillPurpose, BillStatus
from simi.payments.owners import Expiry
from simi.payments.selectors import bills_for
from simi.payments.services import bill_cancel, bill_issue

PURPOSE = BillPurpose.APPLICATION

# An application in one of these states has nothing (more) to pay.
NOT_PAYABLE = frozenset(
    {
        Status.DRAFT,
        Status.PAID,
        Status.APPROVED,
        Status.REJECTED,
        Status.ISSUED,
        Status.COLLECTED,
        Status.CANCELLED,
    }
)


def application_bills(application: Application) -> QuerySet[Bill]:
    """The application's bills, newest first; the caller has already checked
    that the actor may see the application."""
    return bills_for(purpose=PURPOSE, reference=str(application.public_id))


def application_of_bill(bill: Bill) -> Application:
    """The application an application-fee bill belongs to."""
    found = Application.objects.filter(public_id=bill.reference).first()
    if bill.purpose != PURPOSE or found is None:
        raise NotFound()
    return found


def _valid_for(rule: BillingRule | None) -> timedelta:
    if rule is None:
        raise Conflict(
            _("No billing rule is set for this service; the office must set one first."),
            code=Code.BILLING_RULE_MISSING,
        )
    return timedelta(minutes=int(rule.expiry_minutes))


def _check_payable(application: Application) -> None:
    if application.submitted_at is None or application.fee_total_at_submit is None:
        raise Conflict(_("Only a submitted application can be billed."), code=Code.NOT_SUBMITTED)
    if application.status in NOT_PAYABLE:
        raise Conflict(
            _("This application has nothing to pay in its current state."),
            code=Code.APPLICATION_NOT_PAYABLE,
        )


@transaction.atomic
def application_bill_issue(*, actor: Actor, application: Application) -> Bill:
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
    bills = application_bills(application)
    existing = bills.filter(status=BillStatus.UNPAID).first()
    if existing is not None:
        return existing
    if bills.filter(status=BillStatus.PAID).exists():
        raise Conflict(_("This application is already paid."), code=Code.ALREADY_PAID)
    assert application.submitted_at is not None  # checked above; for the type checker
    submitted_on = timezone.localdate(application.submitted_at)
    service = application.service_type
    fees = fee_in_force(service, submitted_on)
    if not fees.is_set or fees.total != application.fee_total_at_submit:
        raise Conflict(
            _(
                "The fee recorded at submission does not match the catalogue for that day; "
                "the office must check the fee history."
            ),
            code=Code.FEE_MISMATCH,
        )
    if fees.total <= 0:
        raise Conflict(
            _("There is nothing to pay for this service."), code=payments_codes.Code.NOTHING_TO_PAY
        )
    valid_for = _valid_for(billing_rule_for(service))
    lines = [
        {
            "component": fee.component,
            "label_id": fee.label_id or service.name_id,
            "label_en": fee.label_en or service.name_en or service.name_id,
            "amount": fee.amount,
            "legal_basis": fee.legal_basis,
            "legal_basis_en": fee.legal_basis_en,
        }
        for fee in fees.fees
    ]
    return bill_issue(
        actor=actor,
        purpose=PURPOSE,
        reference=str(application.public_id),
        office=application.office,
        payer=application.applicant,
        amount=fees.total,
        lines=lines,
        valid_for=valid_for,
        owner_code=application.tracking_code_display,
        owner_label_id=service.name_id,
        owner_label_en=service.name_en,
        audit_data={"service": service.code},
    )


def application_bill_cancel(*, actor: Actor | None, application: Application) -> Bill | None:
    """Cancel the application's unpaid bill (it was cancelled or rejected
    before payment); None when there is none."""
    return bill_cancel(actor=actor, purpose=PURPOSE, reference=str(application.public_id))


def bill_on_expiry(*, bill: Bill) -> Expiry:
    """``SIMI_BILL_HANDLERS["application"]["on_expiry"]``: payments asks this
    when an application's bill has expired unpaid. The service's billing rule
    as it stands now decides: ``reissue`` gives a new code valid for the
    rule's minutes; ``cancel`` hands the bill over (the payer is told, then
    ``workflow.bill_expired`` cancels the application). A bill whose
    application has nothing more to pay (cancelled meanwhile) just lapses."""
    application = (
        Application.objects.select_related("service_type").filter(public_id=bill.reference).first()
    )
    if application is None or application.status in NOT_PAYABLE:
        return Expiry.lapse()
    rule = billing_rule_for(application.service_type)
    if rule is not None and rule.on_expiry == BillingRule.OnExpiry.REISSUE:
        return Expiry.reissue(_valid_for(rule))
    return Expiry.hand_over()
