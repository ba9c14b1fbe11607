"""Synthetic demo cases from the oversight demo's violations.

Run after ``simi.oversight.demo.seed_oversight_demo()`` (and the accounts
demo, for the officers): every open demo violation goes into a case (the
same service as the scheduled job), the first cases are assigned, one case
gets an overstay charge proposed and waiting for approval, and another an
approved overstay charge with its bill. Deterministic; a second run changes
nothing. The grounds and reasons are synthetic text.

    from simi.enforcement.demo import seed_enforcement_demo
    seed_enforcement_demo()  # -> {"cases": ..., "created": ...}
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from simi.accounts.models import User
from simi.accounts.roles import Role
from simi.audit.services import audit_record
from simi.core.demo import DemoOptions
from simi.enforcement.actions import action_approve, action_propose
from simi.enforcement.codes import Action
from simi.enforcement.models import ActionEffect, ActionType, Case, CaseStatus
from simi.enforcement.selectors import assignable_officers
from simi.enforcement.services import case_assign, cases_open_for_violations, note_add
from simi.oversight.models import ViolationKind

GROUNDS = (
    "Data demo sintetis: izin tinggal berakhir dan orang asing masih berada di wilayah "
    "Lampung Barat; biaya beban dikenakan sesuai UU 6/2011 Pasal 78."
)
REASON = "Data demo sintetis: dasar dan jumlah biaya beban telah diperiksa."


def _supervisor(case: Case) -> User | None:
    """A supervisor who sees the case's office (its own or its parent's)."""
    offices = [case.office_id, case.office.parent_id]
    return (
        User.objects.filter(role=Role.SUPERVISOR, is_active=True, office_id__in=offices)
        .order_by("id")
        .first()
    )


def _overstay_cases() -> list[Case]:
    return list(
        Case.objects.filter(
            is_demo=True,
            status=CaseStatus.OPEN,
            violation_links__violation__kind=ViolationKind.OVERSTAY,
            violation_links__violation__charge_total__gt=0,
        )
        .select_related("office")
        .distinct()
        .order_by("opened_at", "id")
    )


@transaction.atomic
def seed_enforcement_demo() -> dict[str, Any]:
    """Open the demo cases once; a second run returns the count and changes nothing."""
    if Case.objects.filter(is_demo=True).exists():
        return {"cases": Case.objects.filter(is_demo=True).count(), "created": 0}
    job = cases_open_for_violations()
    cases = _overstay_cases()
    result: dict[str, Any] = {
        "cases": len(job.opened),
        "created": len(job.opened),
        "violations_joined": len(job.joined),
        "proposed": None,
        "billed": None,
    }
    if len(cases) < 2:
        return result
    pending, billed = cases[0], cases[1]
    found = [assignable_officers(case).first() for case in (pending, billed)]
    officers = [officer for officer in found if officer is not None]
    supervisors = [s for s in (_supervisor(case) for case in (pending, billed)) if s is not None]
    charge = ActionType.objects.filter(effect=ActionEffect.CHARGE, is_active=True).first()
    if len(officers) < 2 or len(supervisors) < 2 or charge is None:
        return result  # the accounts demo (officers) has not run: cases only
    for case, officer, supervisor in zip((pending, billed), officers, supervisors, strict=True):
        case_assign(actor=supervisor, case=case, assignee=officer)
        note_add(actor=officer, case=case, text="Catatan demo sintetis: alamat telah dikunjungi.")
    proposed = action_propose(actor=officers[0], case=pending, code=charge.code, grounds=GROUNDS)
    to_bill = action_propose(actor=officers[1], case=billed, code=charge.code, grounds=GROUNDS)
    approved = action_approve(actor=supervisors[1], action=to_bill, reason=REASON)
    audit_record(
        actor=None,
        action=Action.DEMO_SEEDED,
        data={"cases": len(job.opened), "proposed": str(proposed.public_id)},
    )
    result["proposed"] = str(pending.public_id)
    result["billed"] = approved.bill.billing_code if approved.bill else None
    return result


def seed_demo(options: DemoOptions) -> str:
    """``seed_demo`` step: cases for the demo violations."""
    return f"oversight cases: {seed_enforcement_demo()['cases']}"
