"""Administrative actions: proposed with written grounds by an oversight
officer, approved or rejected (with reasons) by a supervisor who is not the
proposer, and then taking effect:

- ``charge`` (overstay charge): a bill through payments for the running
  charge the oversight detection computed for the case's overstays;
- ``permit_cancellation``: the register cancels the stay permit;
- ``entry_ban``: an ``EntryBan`` listing the screening domain reads;
- ``record``: the decision and its effective dates are recorded.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.accounts.models import User
from simi.audit.services import audit_record
from simi.core.errors import Conflict, PermissionDenied, ValidationFailed
from simi.enforcement import access
from simi.enforcement.codes import Action, Code
from simi.enforcement.models import (
    ActionEffect,
    ActionStatus,
    ActionType,
    AdministrativeAction,
    Case,
    EntryBan,
    EventKind,
)
from simi.enforcement.services import _clean_text, _locked, _open_check, case_status_refresh
from simi.enforcement.services import record_event as _event
from simi.oversight.models import PermitStatus, StayPermit, Violation, ViolationKind
from simi.oversight.register.charges import charge_in_force
from simi.payments.models import BillPurpose
from simi.payments.services import bill_issue

GROUNDS_MIN = 20
REASON_MIN = 10
OVERSTAY_CHARGE = "overstay"  # the row of simi/oversight/data/charges.csv


def _action_type(code: str) -> ActionType:
    found = ActionType.objects.filter(code=(code or "").strip(), is_active=True).first()
    if found is None:
        raise ValidationFailed.for_field(
            "action", _("Choose one of the administrative actions."), code=Code.UNKNOWN_ACTION
        )
    return found


def _dates(effective_from: date | None, effective_until: date | None) -> tuple[date, date | None]:
    start = effective_from or timezone.localdate()
    if effective_until is not None and effective_until < start:
        raise ValidationFailed.for_field(
            "effective_until",
            _("The end of the action cannot be before its start."),
            code=Code.EFFECTIVE_ORDER,
        )
    return start, effective_until


def _overstays(case: Case) -> list[Violation]:
    return list(
        Violation.objects.filter(
            case_link__case=case, kind=ViolationKind.OVERSTAY, charge_total__gt=0
        )
        .select_related("permit")
        .order_by("id")
    )


def _permit(case: Case, permit_id: Any) -> StayPermit:
    permits = StayPermit.objects.filter(foreigner_id=case.subject_id).exclude(
        status=PermitStatus.CANCELLED
    )
    found = (
        permits.filter(public_id=permit_id).first()
        if permit_id
        else permits.order_by("-valid_until", "-id").first()
    )
    if found is None:
        raise ValidationFailed.for_field(
            "permit",
            _("This foreigner has no stay permit that can be cancelled."),
            code=Code.NO_PERMIT,
        )
    return found


def _check_effect(case: Case, kind: ActionType, permit_id: Any) -> StayPermit | None:
    if kind.effect == ActionEffect.CHARGE:
        if not _overstays(case):
            raise Conflict(
                _("This case has no overstay with a charge to bill."), code=Code.NO_OVERSTAY_CHARGE
            )
        if case.actions.filter(
            action_type__effect=ActionEffect.CHARGE,
            status__in=[ActionStatus.PROPOSED, ActionStatus.APPROVED],
        ).exists():
            raise Conflict(
                _("The overstay charge of this case is already proposed or billed."),
                code=Code.CHARGE_ALREADY_PROPOSED,
            )
    if kind.effect == ActionEffect.PERMIT_CANCELLATION:
        return _permit(case, permit_id)
    return None


@transaction.atomic
def action_propose(
    *,
    actor: Actor | None,
    case: Case,
    code: str,
    grounds: str,
    effective_from: date | None = None,
    effective_until: date | None = None,
    permit_id: Any = None,
) -> AdministrativeAction:
    """An oversight officer proposes an action with written grounds (``actor=None``:
    the system, e.g. the demo)."""
    proposer = None
    if actor is not None:
        proposer = access.require_work(actor)
        access.in_scope(actor, case.office_id)
    case = _locked(case)
    _open_check(case)
    kind = _action_type(code)
    clean_grounds = _clean_text(grounds, "grounds", code=Code.GROUNDS_LENGTH, minimum=GROUNDS_MIN)
    start, until = _dates(effective_from, effective_until)
    permit = _check_effect(case, kind, permit_id)
    now = timezone.now()
    action = AdministrativeAction.objects.create(
        case=case,
        action_type=kind,
        grounds=clean_grounds,
        proposed_by=proposer,
        proposed_at=now,
        effective_from=start,
        effective_until=until,
        permit=permit,
    )
    data = {"action": str(action.public_id), "code": kind.code}
    _event(case, EventKind.ACTION_PROPOSED, actor=actor, data=data)
    audit_record(actor=actor, action=Action.ACTION_PROPOSED, target=case, data=data)
    if not kind.needs_approval:
        action.status = ActionStatus.APPROVED
        action.decided_at = now
        action.save(update_fields=["status", "decided_at", "updated_at"])
        _take_effect(action, actor=actor)
    case_status_refresh(case)
    return action


def _decide_check(actor: Actor, action: AdministrativeAction) -> tuple[User, AdministrativeAction]:
    decider = access.require_decide(actor)
    access.in_scope(actor, action.case.office_id)
    locked = (
        AdministrativeAction.objects.select_for_update(of=("self",), no_key=True)
        .select_related("case", "case__office", "action_type")
        .get(pk=action.pk)
    )
    if locked.status != ActionStatus.PROPOSED:
        raise Conflict(_("This action has already been decided."), code=Code.ACTION_DECIDED)
    if locked.proposed_by_id == decider.pk:
        raise PermissionDenied(
            _("You proposed this action; another supervisor must decide it."),
            code=Code.OWN_PROPOSAL,
        )
    return decider, locked


def _decide(
    *, actor: Actor, action: AdministrativeAction, approve: bool, reason: str
) -> AdministrativeAction:
    decider, action = _decide_check(actor, action)
    clean = _clean_text(reason, "reason", code=Code.REASON_LENGTH, minimum=REASON_MIN)
    action.status = ActionStatus.APPROVED if approve else ActionStatus.REJECTED
    action.decided_by = decider
    action.decided_at = timezone.now()
    action.decision_reason = clean
    action.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"]
    )
    data = {"action": str(action.public_id), "code": action.action_type.code}
    kind = EventKind.ACTION_APPROVED if approve else EventKind.ACTION_REJECTED
    _event(action.case, kind, actor=actor, data=data)
    audit_record(
        actor=actor,
        action=Action.ACTION_APPROVED if approve else Action.ACTION_REJECTED,
        target=action.case,
        data=data,
    )
    if approve:
        _take_effect(action, actor=actor)
    case_status_refresh(action.case)
    return action


@transaction.atomic
def action_approve(
    *, actor: Actor, action: AdministrativeAction, reason: str
) -> AdministrativeAction:
    """A supervisor (not the proposer) approves with reasons; it takes effect."""
    return _decide(actor=actor, action=action, approve=True, reason=reason)


@transaction.atomic
def action_reject(
    *, actor: Actor, action: AdministrativeAction, reason: str
) -> AdministrativeAction:
    """A supervisor (not the proposer) rejects with reasons; nothing takes effect."""
    return _decide(actor=actor, action=action, approve=False, reason=reason)


# --- Effects -------------------------------------------------------------------------


def charge_lines(kind: ActionType, overstays: list[Violation]) -> list[dict[str, Any]]:
    """One bill line per overstay: its running charge as oversight computed it."""
    lines = []
    for violation in overstays:
        start = violation.overstay_from or violation.detected_on
        rate = charge_in_force(OVERSTAY_CHARGE, start)
        lines.append(
            {
                "component": "overstay_charge",
                "label_id": f"{kind.name_id}: {violation.overstay_days} hari",
                "label_en": f"{kind.name_en}: {violation.overstay_days} days",
                "amount": violation.charge_total,
                "legal_basis": rate.legal_basis,
                "violation": str(violation.public_id),
            }
        )
    return lines


def _bill_charge(action: AdministrativeAction, actor: Actor | None) -> dict[str, Any]:
    case = action.case
    kind = action.action_type
    overstays = _overstays(case)
    lines = charge_lines(kind, overstays)
    amount = sum(int(line["amount"]) for line in lines)
    if amount <= 0 or not kind.bill_expiry_minutes:
        raise Conflict(
            _("This case has no overstay with a charge to bill."), code=Code.NO_OVERSTAY_CHARGE
        )
    payer = getattr(case.subject.person, "account", None)
    bill = bill_issue(
        actor=actor,
        purpose=BillPurpose.OVERSTAY_CHARGE,
        reference=str(case.public_id),
        office=case.office,
        payer=payer,
        amount=amount,
        lines=lines,
        valid_for=timedelta(minutes=kind.bill_expiry_minutes),
    )
    action.bill = bill
    data = {"bill": str(bill.public_id), "billing_code": bill.billing_code, "amount": amount}
    _event(case, EventKind.CHARGE_BILLED, actor=actor, data=data)
    return data


def _cancel_permit(action: AdministrativeAction) -> dict[str, Any]:
    from simi.oversight.register.permits import permit_cancel

    assert action.permit is not None  # checked when proposed
    # The register's own service cancels and audits it; the approver is on
    # this action's audit entry (a supervisor reads the register, the
    # register's writers are oversight officers, so the system performs it).
    permit_cancel(actor=None, permit=action.permit)
    return {"permit": str(action.permit.public_id)}


def _list_entry_ban(action: AdministrativeAction) -> dict[str, Any]:
    ban = EntryBan.objects.create(
        foreigner=action.case.subject,
        office=action.case.office,
        action=action,
        effective_from=action.effective_from,
        effective_until=action.effective_until,
        legal_basis=action.action_type.legal_basis,
    )
    return {"entry_ban": str(ban.public_id)}


def _take_effect(action: AdministrativeAction, *, actor: Actor | None) -> None:
    effect = action.action_type.effect
    data: dict[str, Any] = {
        "action": str(action.public_id),
        "code": action.action_type.code,
        "effect": effect,
        "effective_from": action.effective_from.isoformat(),
        "effective_until": action.effective_until.isoformat() if action.effective_until else None,
    }
    if effect == ActionEffect.CHARGE:
        data.update(_bill_charge(action, actor))
    elif effect == ActionEffect.PERMIT_CANCELLATION:
        data.update(_cancel_permit(action))
    elif effect == ActionEffect.ENTRY_BAN:
        data.update(_list_entry_ban(action))
    action.took_effect_at = timezone.now()
    action.save(update_fields=["bill", "took_effect_at", "updated_at"])
    _event(action.case, EventKind.ACTION_EFFECTIVE, actor=actor, data=data)
    audit_record(actor=actor, action=Action.ACTION_EFFECTIVE, target=action.case, data=data)
