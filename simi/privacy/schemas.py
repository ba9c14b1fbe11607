"""API schemas of the privacy domain; the export schemas also shape the
machine-readable copy an applicant downloads (simi.privacy.export)."""

import uuid
from datetime import date, datetime

from ninja import Field, Schema

from simi.privacy.models import DataSubjectRequestKind, IncidentSeverity, IncidentStatus


class DsrCreateIn(Schema):
    """Exercise one of your rights under UU 27/2022 about your own data."""

    kind: DataSubjectRequestKind = Field(
        ...,
        description=(
            "access: a copy of everything SIMI holds on you (answered at once); correction, "
            "erasure, restriction, consent_withdrawal: handled by the data protection team "
            "within 3x24 hours."
        ),
    )
    details: str | None = Field(
        None,
        max_length=4000,
        description="What to correct or withdraw, or anything the team should know.",
    )


class DsrOut(Schema):
    """A data-subject request as its applicant sees it."""

    id: uuid.UUID
    kind: str
    status: str
    details: str | None
    received_at: datetime
    due_at: datetime = Field(..., description="received_at + 3x24 hours (UU 27/2022 Pasal 32).")
    completed_at: datetime | None
    decision_note: str | None
    processing_restricted: bool


class DsrQueueItemOut(Schema):
    """A request in the handlers' queue (no free text: open it for that)."""

    id: uuid.UUID
    kind: str
    status: str
    received_at: datetime
    due_at: datetime
    hours_left: int = Field(..., description="Whole hours to the deadline; negative when overdue.")
    escalated_at: datetime | None
    completed_at: datetime | None


class IncidentOut(Schema):
    """A personal-data incident in the register (the description stays on the page)."""

    id: uuid.UUID
    title: str
    severity: IncidentSeverity
    status: IncidentStatus
    data_categories: list[str]
    affected_subjects: int
    occurred_at: datetime
    discovered_at: datetime
    notify_deadline: datetime
    hours_left: int
    subjects_notified_at: datetime | None
    authority_notified_at: datetime | None


class ExportAccountOut(Schema):
    """Your account."""

    id: uuid.UUID
    email: str
    full_name: str
    role: str
    office_code: str | None
    is_active: bool
    email_verified_at: datetime | None
    preferred_language: str
    created_at: datetime
    last_login: datetime | None


class ExportPersonOut(Schema):
    """Your identity record, decrypted."""

    id: uuid.UUID
    kind: str
    full_name: str
    nik: str | None
    passport_number: str | None
    nationality: str
    sex: str
    birth_date: date | None
    address: str | None
    region_code: str | None
    region_name: str | None
    phone: str | None
    created_at: datetime
    updated_at: datetime


class ExportHouseholdMemberOut(Schema):
    """A family member you apply for, with their identity record decrypted."""

    id: uuid.UUID
    relationship: str
    created_at: datetime
    person: ExportPersonOut


class ExportTokenOut(Schema):
    """An API token of yours: metadata only, never the secret or its digest."""

    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ExportAuditEntryOut(Schema):
    """A processing record about you or by you (the trail of UU 27/2022 Pasal 32).

    ``object_id`` and ``purpose`` are left out when the record is someone else's.
    """

    action: str
    occurred_at: datetime
    actor_role: str = Field(..., description="The role of whoever acted; empty for SIMI itself.")
    by_you: bool
    object_type: str
    object_id: str | None
    purpose: str | None


class PersonalDataExportOut(Schema):
    """Everything SIMI holds on the signed-in person, as one JSON document."""

    format: str = Field(..., description="simi-personal-data/1")
    generated_at: datetime
    legal_basis: str
    account: ExportAccountOut
    person: ExportPersonOut | None
    household_members: list[ExportHouseholdMemberOut] = Field(
        [], description="The family members you apply for (My family)."
    )
    api_tokens: list[ExportTokenOut]
    requests: list[DsrOut]
    audit_entries: list[ExportAuditEntryOut]
