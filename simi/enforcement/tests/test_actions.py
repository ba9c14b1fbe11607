from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from simi.audit.models import AuditEntry
from simi.core.errors import Conflict, PermissionDenied, ValidationFailed
from simi.enforcement.actions import action_approve, action_propose, action_reject
from simi.enforcement.models import ActionStatus, CaseStatus, EventKind
from simi.enforcement.selectors import entry_bans_active
from simi.enforcement.services import case_close, case_open_or_join
from simi.oversight.models import PermitStatus
from simi.payments.channels import demo_channel_ensure
from simi.payments.models import Bill, BillStatus
from simi.payments.services import bills_expire_due
from simi.payments.tests.conftest import notification, post_signed

from .conftest import overstay

pytestmark = pytest.mark.django_db

GROUNDS = "Overstay of twelve days found by the daily detection; charge under Art. 78."
REASON = "Grounds checked against the register; approved."


@pytest.fixture
def case(oversight, violation):
    opened, _ = case_open_or_join(actor=oversight, violation=violation)
    return opened


def propose(oversight, case, code="overstay_charge", **extra):
    return action_propose(actor=oversight, case=case, code=code, grounds=GROUNDS, **extra)


def test_a_proposal_waits_for_a_supervisor(oversight, case):
    action = propose(oversight, case)
    case.refresh_from_db()
    assert action.status == ActionStatus.PROPOSED
    assert case.status == CaseStatus.AWAITING_APPROVAL
    assert action.bill is None
    assert not Bill.objects.exists()


def test_the_proposer_cannot_approve_their_own_proposal(supervisor, second_supervisor, case):
    # given a supervisor who proposes (supervisors may not propose: only
    # oversight officers write), the data still must not allow self-approval
    action = action_propose(actor=None, case=case, code="place_prohibition", grounds=GROUNDS)
    action.proposed_by = supervisor
    action.save(update_fields=["proposed_by"])
    with pytest.raises(PermissionDenied) as refused:
        action_approve(actor=supervisor, action=action, reason=REASON)
    assert refused.value.code == "own_proposal"
    approved = action_approve(actor=second_supervisor, action=action, reason=REASON)
    assert approved.status == ActionStatus.APPROVED


def test_an_oversight_officer_cannot_approve(oversight, case):
    action = propose(oversight, case)
    with pytest.raises(PermissionDenied):
        action_approve(actor=oversight, action=action, reason=REASON)


def test_approval_needs_reasons_and_happens_once(oversight, supervisor, case):
    action = propose(oversight, case)
    with pytest.raises(ValidationFailed) as short:
        action_approve(actor=supervisor, action=action, reason="ok")
    assert short.value.fields["reason"]
    action_approve(actor=supervisor, action=action, reason=REASON)
    with pytest.raises(Conflict):
        action_reject(actor=supervisor, action=action, reason=REASON)
    assert AuditEntry.objects.filter(action="enforcement.action_approved").count() == 1


def test_the_overstay_charge_bill_is_the_running_charge_of_the_violation(
    oversight, supervisor, case, violation
):
    # given the detection's running charge: 12 days at the rate from data
    violation.refresh_from_db()
    assert violation.charge_total == violation.charge_per_day * 12
    # when the charge is proposed and approved
    action = action_approve(actor=supervisor, action=propose(oversight, case), reason=REASON)
    # then one unpaid bill of that amount, referencing the case, payable 7 days
    bill = Bill.objects.get()
    assert action.bill == bill
    assert bill.purpose == "overstay_charge"
    assert bill.reference == str(case.public_id)
    assert bill.amount == violation.charge_total
    assert bill.status == BillStatus.UNPAID
    assert bill.expires_at - bill.issued_at == timedelta(days=7)
    assert case.events.filter(kind=EventKind.CHARGE_BILLED).exists()


def test_a_case_with_two_overstays_bills_both(oversight, supervisor, foreigner, case, violation):
    other = overstay(oversight, foreigner, number="ITK-0009", days=3)
    case_open_or_join(actor=oversight, violation=other)
    action_approve(actor=supervisor, action=propose(oversight, case), reason=REASON)
    violation.refresh_from_db()
    other.refresh_from_db()
    bill = Bill.objects.get()
    assert bill.amount == violation.charge_total + other.charge_total
    assert len(bill.lines) == 2


def test_the_charge_cannot_be_proposed_twice(oversight, case):
    propose(oversight, case)
    with pytest.raises(Conflict) as twice:
        propose(oversight, case)
    assert twice.value.code == "charge_already_proposed"


def test_a_rejected_action_has_no_effect(oversight, supervisor, case):
    action = action_reject(actor=supervisor, action=propose(oversight, case), reason=REASON)
    case.refresh_from_db()
    assert action.status == ActionStatus.REJECTED
    assert not Bill.objects.exists()
    assert case.status == CaseStatus.IN_PROGRESS


def test_a_paid_charge_is_on_the_timeline(client, oversight, supervisor, case):
    action_approve(actor=supervisor, action=propose(oversight, case), reason=REASON)
    bill = Bill.objects.get()
    demo_channel_ensure()
    response = post_signed(Client(), notification(bill))
    assert response.status_code in (200, 201), response.content
    bill.refresh_from_db()
    assert bill.status == BillStatus.PAID
    assert case.events.filter(kind=EventKind.CHARGE_PAID).exists()


def test_an_expired_charge_is_reissued_for_the_same_amount(oversight, supervisor, case):
    action = action_approve(actor=supervisor, action=propose(oversight, case), reason=REASON)
    first = Bill.objects.get()
    bills_expire_due(now=first.expires_at + timedelta(minutes=1))
    first.refresh_from_db()
    action.refresh_from_db()
    assert first.status == BillStatus.EXPIRED
    new = Bill.objects.get(status=BillStatus.UNPAID)
    assert (new.amount, new.replaces, new.reference) == (first.amount, first, first.reference)
    assert action.bill == new
    kinds = set(case.events.values_list("kind", flat=True))
    assert {EventKind.CHARGE_EXPIRED, EventKind.CHARGE_REISSUED} <= kinds


def test_permit_cancellation_cancels_the_permit_in_the_register(oversight, supervisor, case):
    action = propose(oversight, case, code="permit_cancellation")
    assert action.permit is not None
    action_approve(actor=supervisor, action=action, reason=REASON)
    action.permit.refresh_from_db()
    assert action.permit.status == PermitStatus.CANCELLED


def test_an_entry_ban_is_listed_for_screening(oversight, supervisor, case):
    today = timezone.localdate()
    action = propose(oversight, case, code="entry_ban", effective_until=today + timedelta(days=180))
    assert not entry_bans_active().exists()
    action_approve(actor=supervisor, action=action, reason=REASON)
    bans = list(entry_bans_active())
    assert [b.foreigner_id for b in bans] == [case.subject_id]
    assert not entry_bans_active(as_of=today + timedelta(days=181)).exists()


def test_a_case_waiting_for_a_decision_cannot_close(oversight, case):
    propose(oversight, case, code="deportation")
    with pytest.raises(Conflict) as pending:
        case_close(actor=oversight, case=case, reason="Everything settled with the sponsor.")
    assert pending.value.code == "action_pending"
