"""Every write on cases: open or join from a violation, assign, deadline,
notes, close; the scheduled job that puts open violations into cases; and
the payments handlers of the overstay charge.

Keyword-only, atomic, audited with ids and codes only, and each change is a
line on the case timeline (``CaseEvent``). Administrative actions are in
``actions.py``, evidence files in ``evidence.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.accounts.models import User
from simi.accounts.scoping import visible_office_ids
from simi.audit.services import audit_record
from simi.core.codes import ErrorCode
from simi.core.errors import Conflict, ValidationFailed
from simi.core.workdays import WorkingCalendar
from simi.enforcement import access
from simi.enforcement.codes import Action, Code
from simi.enforcement.models import (
    ActionStatus,
    AdministrativeAction,
    Case,
    CaseEvent,
    CaseNote,
    CaseStatus,
    CaseViolation,
    EventKind,
    OnBillExpiry,
)
from simi.oversight.models import Violation, ViolationStatus
from simi.payments.models import Bill
from simi.payments.services import bill_reissue

# Operational default, not regulation: a new case is due this many working
# days after it opens; the assignee or a supervisor moves the deadline.
CASE_DUE_WORKING_DAYS = 10
NOTE_MAX = 5000
SUMMARY_MAX = 2000


def record_event(
    case: Case, kind: str, *, actor: Actor | None, data: dict[str, Any] | None = None
) -> CaseEvent:
    """One line on the timeline (ids and codes only, like the audit log)."""
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        occurred_at=timezone.now(),
        data=data or {},
    )


def _open_check(case: Case) -> None:
    if case.is_closed:
        raise Conflict(_("This case is closed."), code=Code.CASE_CLOSED)


def _locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",), no_key=True)
        .select_related("office")
        .get(pk=case.pk)
    )


def case_status_refresh(case: Case) -> None:
    """Awaiting approval while an action waits; otherwise in progress once
    someone works on it (assigned or an action decided), else open."""
    if case.is_closed:
        return
    if case.actions.filter(status=ActionStatus.PROPOSED).exists():
        status = CaseStatus.AWAITING_APPROVAL
    elif case.assignee_id is not None or case.actions.exists():
        status = CaseStatus.IN_PROGRESS
    else:
        status = CaseStatus.OPEN
    if status != case.status:
        case.status = status
        case.save(update_fields=["status", "updated_at"])


# --- Open or join -----------------------------------------------------------------


def _clean_summary(summary: str | None) -> str | None:
    clean = " ".join((summary or "").split()) or None
    if clean and len(clean) > SUMMARY_MAX:
        raise ValidationFailed.for_field(
            "summary", _("The summary is at most 2000 characters."), code=Code.SUMMARY_TOO_LONG
        )
    return clean


def _new_case(violation: Violation, summary: str | None, is_demo: bool) -> Case | None:
    """A new case for the violation's foreigner; None when another
    transaction opened one at the same moment (the constraint decided)."""
    now = timezone.now()
    due = WorkingCalendar(violation.office).add_working_days(
        timezone.localdate(now), CASE_DUE_WORKING_DAYS
    )
    try:
        with transaction.atomic():
            return Case.objects.create(
                office=violation.office,
                subject=violation.foreigner,
                opened_at=now,
                due_date=due,
                summary=summary,
                is_demo=is_demo,
            )
    except IntegrityError:
        return None


@transaction.atomic
def case_open_or_join(
    *, actor: Actor | None, violation: Violation, summary: str | None = None
) -> tuple[Case, bool]:
    """Put ``violation`` into its foreigner's case that is not closed, or open
    a new one. Returns (case, opened). A violation already in a case returns
    that case: calling twice changes nothing."""
    if actor is not None:
        access.require_work(actor)
        access.in_scope(actor, violation.office_id)
    clean_summary = _clean_summary(summary)
    link = CaseViolation.objects.filter(violation=violation).select_related("case").first()
    if link is not None:
        return link.case, False
    if violation.status == ViolationStatus.CLOSED:
        raise Conflict(_("This violation is closed."), code=Code.VIOLATION_CLOSED)
    active = (
        Case.objects.select_for_update(no_key=True)
        .filter(subject_id=violation.foreigner_id)
        .exclude(status=CaseStatus.CLOSED)
        .first()
    )
    opened = False
    if active is None:
        active = _new_case(violation, clean_summary, violation.foreigner.is_demo)
        opened = active is not None
        if active is None:
            active = Case.objects.exclude(status=CaseStatus.CLOSED).get(
                subject_id=violation.foreigner_id
            )
    try:
        with transaction.atomic():
            CaseViolation.objects.create(case=active, violation=violation, joined_at=timezone.now())
    except IntegrityError:
        # Linked by a concurrent call: that case is the answer.
        return CaseViolation.objects.select_related("case").get(violation=violation).case, False
    if opened:
        record_event(
            active,
            EventKind.OPENED,
            actor=actor,
            data={"office": active.office.code, "due_date": active.due_date.isoformat()},
        )
        audit_record(
            actor=actor,
            action=Action.CASE_OPENED,
            target=active,
            data={
                "office": active.office.code,
                "foreigner": str(violation.foreigner.public_id),
                "violation": str(violation.public_id),
            },
        )
    elif clean_summary and not active.summary:
        active.summary = clean_summary
        active.save(update_fields=["summary", "updated_at"])
    record_event(
        active,
        EventKind.VIOLATION_JOINED,
        actor=actor,
        data={"violation": str(violation.public_id), "kind": violation.kind},
    )
    audit_record(
        actor=actor,
        action=Action.VIOLATION_JOINED,
        target=active,
        data={"violation": str(violation.public_id), "kind": violation.kind},
    )
    return active, opened


@dataclass
class JobResult:
    opened: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)


def cases_open_for_violations() -> JobResult:
    """The scheduled job: every open violation not yet in a case opens or
    joins one. One transaction per violation; a second run finds nothing."""
    from simi.enforcement.selectors import violations_without_case

    result = JobResult()
    for violation in violations_without_case().order_by("id"):
        try:
            case, opened = case_open_or_join(actor=None, violation=violation)
        except Conflict:
            continue  # closed meanwhile
        (result.opened if opened else result.joined).append(str(case.public_id))
    return result


# --- Assignment, deadline, notes, closing ----------------------------------------


def assignable(user: User | None, case: Case) -> bool:
    """An active oversight officer whose offices include the case's office."""
    if user is None or not user.is_active or not user.is_office_staff:
        return False
    if not user.can("oversight:write"):
        return False
    visible = visible_office_ids(user)
    return visible is None or case.office_id in visible


@transaction.atomic
def case_assign(*, actor: Actor, case: Case, assignee: User | None) -> Case:
    access.require_manage(actor)
    access.in_scope(actor, case.office_id)
    case = _locked(case)
    _open_check(case)
    if assignee is None or not assignable(assignee, case):
        raise ValidationFailed.for_field(
            "assignee",
            _("Choose an oversight officer of this case's office."),
            code=Code.ASSIGNEE_NOT_ALLOWED,
        )
    if case.assignee_id == assignee.pk:
        return case
    case.assignee = assignee
    case.save(update_fields=["assignee", "updated_at"])
    case_status_refresh(case)
    record_event(case, EventKind.ASSIGNED, actor=actor, data={"assignee": str(assignee.public_id)})
    audit_record(
        actor=actor,
        action=Action.CASE_ASSIGNED,
        target=case,
        data={"assignee": str(assignee.public_id)},
    )
    return case


@transaction.atomic
def case_set_deadline(*, actor: Actor, case: Case, due_date: date | None) -> Case:
    access.require_manage(actor)
    access.in_scope(actor, case.office_id)
    case = _locked(case)
    _open_check(case)
    if due_date is None:
        raise ValidationFailed.for_field(
            "due_date", _("Enter the due date."), code=Code.DUE_REQUIRED
        )
    if due_date < timezone.localdate():
        raise ValidationFailed.for_field(
            "due_date", _("The due date cannot be in the past."), code=Code.DUE_IN_PAST
        )
    calendar = WorkingCalendar(case.office)
    due = calendar.next_working_day(due_date)
    if due == case.due_date:
        return case
    previous = case.due_date
    case.due_date = due
    case.save(update_fields=["due_date", "updated_at"])
    data = {"from": previous.isoformat(), "to": due.isoformat()}
    record_event(case, EventKind.DEADLINE_SET, actor=actor, data=data)
    audit_record(actor=actor, action=Action.DEADLINE_SET, target=case, data=data)
    return case


def _clean_text(text: str | None, field_name: str, *, code: ErrorCode, minimum: int = 1) -> str:
    clean = (text or "").strip()
    if len(clean) < minimum or len(clean) > NOTE_MAX:
        raise ValidationFailed.for_field(
            field_name,
            _("Write between %(min)d and %(max)d characters.") % {"min": minimum, "max": NOTE_MAX},
            code=code,
        )
    return clean


@transaction.atomic
def note_add(*, actor: Actor, case: Case, text: str) -> CaseNote:
    author = access.require_manage(actor)
    access.in_scope(actor, case.office_id)
    case = _locked(case)
    _open_check(case)
    clean = _clean_text(text, "text", code=Code.TEXT_LENGTH)
    note = CaseNote.objects.create(case=case, author=author, text=clean, created_at=timezone.now())
    record_event(case, EventKind.NOTE_ADDED, actor=actor, data={"note": str(note.public_id)})
    audit_record(
        actor=actor,
        action=Action.NOTE_ADDED,
        target=case,
        data={"note": str(note.public_id)},
    )
    return note


@transaction.atomic
def case_close(*, actor: Actor, case: Case, reason: str) -> Case:
    """Close a case once no action waits for a decision; the reason becomes a note."""
    author = access.require_manage(actor)
    access.in_scope(actor, case.office_id)
    case = _locked(case)
    _open_check(case)
    clean = _clean_text(reason, "reason", code=Code.REASON_LENGTH, minimum=10)
    if case.actions.filter(status=ActionStatus.PROPOSED).exists():
        raise Conflict(
            _("An action in this case waits for a decision; decide it first."),
            code=Code.ACTION_PENDING,
        )
    CaseNote.objects.create(case=case, author=author, text=clean, created_at=timezone.now())
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at", "updated_at"])
    record_event(case, EventKind.CLOSED, actor=actor)
    audit_record(actor=actor, action=Action.CASE_CLOSED, target=case, data={})
    return case


# --- Payments handlers (settings.SIMI_BILL_HANDLERS["overstay_charge"]) ------------


def _charge_action(bill: Bill) -> AdministrativeAction | None:
    return (
        AdministrativeAction.objects.select_related("case", "action_type").filter(bill=bill).first()
    )


@transaction.atomic
def charge_paid(*, bill: Bill) -> None:
    """Payments calls this when an overstay charge bill is paid."""
    action = _charge_action(bill)
    if action is None:
        return
    data = {"bill": str(bill.public_id), "billing_code": bill.billing_code, "amount": bill.amount}
    record_event(action.case, EventKind.CHARGE_PAID, actor=None, data=data)
    audit_record(actor=None, action=Action.CHARGE_PAID, target=action.case, data=data)


@transaction.atomic
def charge_expired(*, bill: Bill) -> None:
    """Payments calls this when an overstay charge bill expires unpaid: the
    action type's billing rule (data) reissues it or lets it lapse."""
    action = _charge_action(bill)
    if action is None:
        return
    case = action.case
    record_event(
        case, EventKind.CHARGE_EXPIRED, actor=None, data={"billing_code": bill.billing_code}
    )
    rule = action.action_type
    if rule.bill_on_expiry != OnBillExpiry.REISSUE or not rule.bill_expiry_minutes:
        return
    new = bill_reissue(actor=None, bill=bill, valid_for=timedelta(minutes=rule.bill_expiry_minutes))
    action.bill = new
    action.save(update_fields=["bill", "updated_at"])
    data = {"replaces": bill.billing_code, "billing_code": new.billing_code}
    record_event(case, EventKind.CHARGE_REISSUED, actor=None, data=data)
    audit_record(actor=None, action=Action.CHARGE_REISSUED, target=case, data=data)
