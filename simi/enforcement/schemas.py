"""API schemas of cases, administrative actions and the oversight dashboard."""

import uuid
from datetime import date, datetime

from ninja import Field, Schema


class CaseOpenIn(Schema):
    """Put a violation into its foreigner's case (a new one when none is open)."""

    violation: uuid.UUID = Field(
        ..., description="Id of the violation (GET /oversight/violations)."
    )
    summary: str | None = Field(
        None, max_length=2000, description="Optional summary (kept encrypted)."
    )


class CaseOut(Schema):
    """A case of the oversight unit: one foreigner, their violations, a deadline."""

    id: uuid.UUID
    status: str = Field(..., description="open, in_progress, awaiting_approval or closed.")
    office: str = Field(..., description="Code of the office the case belongs to.")
    foreigner: uuid.UUID = Field(..., description="Id of the foreigner (the subject).")
    nationality: str
    kecamatan: str | None = Field(..., description="Kecamatan code of the registered address.")
    assignee: uuid.UUID | None = Field(..., description="Id of the assigned oversight officer.")
    opened_at: datetime
    due_date: date = Field(..., description="Deadline (a working day of the office).")
    closed_at: datetime | None
    violation_count: int
    actions_waiting: int = Field(..., description="Actions awaiting a supervisor's decision.")


class CaseViolationOut(Schema):
    id: uuid.UUID
    kind: str
    detected_on: date
    overstay_days: int
    is_running: bool
    charge_total: int = Field(..., description="Running charge to date, Rupiah (oversight data).")


class ActionOut(Schema):
    """An administrative action: proposed, then approved or rejected with reasons."""

    id: uuid.UUID
    case: uuid.UUID
    action: str = Field(..., description="Code of the action type (GET /enforcement/action-types).")
    status: str = Field(..., description="proposed, approved or rejected.")
    grounds: str
    proposed_by: uuid.UUID | None
    proposed_at: datetime
    decided_by: uuid.UUID | None
    decided_at: datetime | None
    decision_reason: str | None
    effective_from: date
    effective_until: date | None
    permit: uuid.UUID | None = Field(..., description="The stay permit, for a permit cancellation.")
    billing_code: str | None = Field(..., description="The bill of an overstay charge.")
    bill_amount: int | None
    took_effect_at: datetime | None


class CaseNoteIn(Schema):
    text: str = Field(..., max_length=5000)


class NoteOut(Schema):
    id: uuid.UUID
    author: uuid.UUID
    text: str
    created_at: datetime


class EvidenceOut(Schema):
    id: uuid.UUID
    content_type: str
    size: int
    sha256: str
    description: str | None
    uploaded_by: uuid.UUID | None
    created_at: datetime


class EventOut(Schema):
    """One line of the case timeline; details hold ids and codes."""

    kind: str
    actor: uuid.UUID | None
    occurred_at: datetime
    data: dict[str, object]


class CaseDetailOut(CaseOut):
    summary: str | None
    violations: list[CaseViolationOut]
    actions: list[ActionOut]
    notes: list[NoteOut]
    evidence: list[EvidenceOut]
    timeline: list[EventOut]


class AssignIn(Schema):
    assignee: uuid.UUID = Field(..., description="Id of an oversight officer of the case's office.")


class DeadlineIn(Schema):
    due_date: date = Field(..., description="Moved to the next working day when it is not one.")


class CloseIn(Schema):
    reason: str = Field(
        ..., max_length=5000, description="Why the case is closed (10+ characters)."
    )


class ActionProposeIn(Schema):
    action: str = Field(..., max_length=40, description="Code of the action type.")
    grounds: str = Field(..., max_length=5000, description="Written grounds (20+ characters).")
    effective_from: date | None = Field(None, description="Default today.")
    effective_until: date | None = None
    permit: uuid.UUID | None = Field(
        None, description="For permit_cancellation: the permit (default: the latest one)."
    )


class ActionDecisionIn(Schema):
    reason: str = Field(
        ..., max_length=5000, description="Reasons for the decision (10+ characters)."
    )


class ActionTypeOut(Schema):
    code: str
    name_id: str
    name_en: str
    legal_basis: str
    needs_approval: bool
    effect: str = Field(..., description="record, charge, permit_cancellation or entry_ban.")


class CountOut(Schema):
    code: str
    label: str
    count: int


class DashboardOut(Schema):
    """The oversight dashboard's numbers for your offices."""

    foreigners_total: int
    by_kecamatan: list[CountOut]
    by_nationality: list[CountOut]
    permits_expiring_30_days: int
    open_violations: list[CountOut]
    late_lodging_this_month: int
    open_cases: list[CountOut]
