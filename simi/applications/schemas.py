"""API schemas of applications and public tracking."""

import uuid
from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from simi.applications.deadlines import documents_deadline
from simi.applications.models import CancelReason, RejectReason, SponsorKind
from simi.core.schemas import MissingItemOut


class ApplicationCreateIn(Schema):
    """Start a draft application for a catalogue service at one office.

    Your identity data (My account, Identity) must be entered first, also
    when you apply for a household member.
    """

    service: str = Field(
        ..., min_length=1, max_length=60, description="Service code, e.g. passport-ordinary-5y."
    )
    office: str = Field(..., min_length=1, max_length=60, description="Office code, e.g. ulp-liwa.")
    member: uuid.UUID | None = Field(
        None,
        description="Apply for one of your household members (its id from GET "
        "/household/members); leave out to apply for yourself. Not one of yours: "
        "422 `member_unknown`.",
    )


class ApplicationSubmitIn(Schema):
    """Submit a complete draft, with the applicant's declaration."""

    declaration: bool = Field(
        ...,
        description=(
            "true: the applicant declares that the information given is true and "
            "complete. Anything else is refused (422 `declaration_required`)."
        ),
    )


class ApplicationCancelIn(Schema):
    """Withdraw a draft or a registered application."""

    reason: CancelReason = Field(..., description="Why you cancel (a code).")


class ExtendedPermitOut(Schema):
    """A stay permit of the applicant's own in the register: one an extension
    may extend, or the one it extends."""

    id: uuid.UUID = Field(..., description="Send it as ``extends_permit`` in the details.")
    number: str = Field(..., description="As printed on the permit.")
    kind: str = Field(..., description="The register's kind of permit, e.g. itas.")
    valid_from: date
    valid_until: date = Field(
        ...,
        description="The extension starts the day after, or on the day of a late application.",
    )
    status: str = Field(..., description="active or expired (ended recently), then extended.")


class ApplicationOut(Schema):
    """An application as its applicant sees it."""

    id: uuid.UUID
    status: str
    tracking_code: str | None = Field(
        ..., description="XXXX-XXXX-XXXX-CC, set when the application is submitted."
    )
    service: str = Field(..., description="Service code.")
    office: str = Field(..., description="Office code.")
    member: uuid.UUID | None = Field(
        None, description="The household member it is for; null: for the account holder."
    )
    fee_total_at_submit: int | None = Field(
        ..., description="Whole Rupiah in force on the day of submission; never changes after."
    )
    sla_working_days: int | None
    sla_due_date: date | None
    created_at: datetime
    submitted_at: datetime | None
    cancelled_at: datetime | None
    details_required: list[str] = Field(
        [],
        description="family_card_number, sponsor and/or extends_permit (an extension), "
        "as the service asks.",
    )
    details_missing: list[str] = Field([], description="Required details not yet given.")
    extends_permit: ExtendedPermitOut | None = Field(
        None, description="For an extension: the permit it extends, once named."
    )


class ApplicationTaskOut(Schema):
    """One task of the applicant's task list."""

    task: Literal["identity", "details", "documents", "visit", "declaration"]
    label: str = Field(..., description="In the caller's language.")
    status: Literal["completed", "incomplete", "cannot_start", "not_needed"] = Field(
        ...,
        description="cannot_start: it waits for another task (the visit is booked after "
        "submission; the declaration once nothing is missing); not_needed: this service "
        "(or the application's state) does not ask for it.",
    )
    status_label: str = Field(..., description="The status in the caller's language.")
    href: str | None = Field(
        ..., description="The web page where the task is done; null when there is nothing to do."
    )


class ApplicationTasksOut(Schema):
    """What is done and what is left, in the order the applicant does it."""

    tasks: list[ApplicationTaskOut]
    missing: list[MissingItemOut] = Field(
        ...,
        description="What submitting now would be refused for: the `missing` of a 409 "
        "`application_incomplete`, entry for entry; "
        "empty when the draft is complete, and for a submitted application.",
    )
    ready_to_submit: bool = Field(
        ..., description="A draft with nothing missing: only the declaration is left."
    )


class TimelineStepOut(Schema):
    """One step of the public status timeline."""

    at: datetime
    status: str
    status_label: str
    note: str = Field(..., description="A stable code.")
    note_label: str = Field(..., description="The note in the caller's language.")


class TrackingOut(Schema):
    """The public view of an application: no personal data beyond initials."""

    tracking_code: str
    status: str
    status_label: str
    service_name: str
    office_name: str
    holder_initials: str = Field(..., description="First letters of the holder's name, e.g. A. U.")
    submitted_at: datetime | None
    sla_due_date: date | None
    timeline: list[TimelineStepOut]


class ApplicationDocumentOut(Schema):
    """One uploaded file: what its content is, never its original name."""

    id: uuid.UUID
    requirement_code: str
    content_type: str = Field(..., description="Decided from the bytes: PDF, JPEG or PNG.")
    size: int
    pages: int
    sha256: str = Field(..., description="Checksum of the file as uploaded.")
    status: str
    uploaded_at: datetime


class RequirementOut(Schema):
    code: str
    name: str
    mandatory: bool
    present: bool


class StaffApplicationOut(Schema):
    """An application in an office's work queue (no personal data)."""

    id: uuid.UUID
    tracking_code: str
    status: str
    service: str
    office: str
    submitted_at: datetime | None
    sla_due_date: date | None
    sla_breached: bool
    next_actions: list[str] = Field(..., description="Steps you may take now.")


class PersonSummaryOut(Schema):
    full_name: str
    kind: str
    nationality: str
    nik: str | None
    passport_number: str | None
    birth_date: date | None


class StaffTimelineStepOut(Schema):
    at: datetime
    status: str
    note_label: str
    actor_role: str
    actor_name: str
    staff_note: str


class StaffApplicationDetailOut(StaffApplicationOut):
    """One application with the identity it carries (reading it is audited)."""

    person: PersonSummaryOut | None
    requirements: list[RequirementOut]
    documents: list[ApplicationDocumentOut]
    timeline: list[StaffTimelineStepOut]
    verified_by: str | None
    decided_by: str | None
    reject_reason: str | None
    issued_document: uuid.UUID | None
    extends_permit: ExtendedPermitOut | None = Field(
        None, description="For an extension: the applicant's permit it extends."
    )


class StaffNoteIn(Schema):
    note: str = Field("", max_length=2000, description="Staff-only note kept on the timeline.")


class RequestDocumentsIn(Schema):
    requirement_codes: list[str] = Field(..., min_length=1, max_length=30)
    message: str = Field(..., min_length=1, max_length=2000)
    working_days: int | None = Field(
        None,
        ge=documents_deadline().min_working_days,
        le=documents_deadline().max_working_days,
        description="Working days the applicant has to answer (data: "
        "simi/applications/data/documents_deadline.csv); empty for the default.",
    )


class InterviewIn(StaffNoteIn):
    biometrics_reference: str = Field(..., min_length=1, max_length=40)


class RejectIn(Schema):
    reason: RejectReason
    note: str = Field(..., min_length=1, max_length=2000)


class IssueIn(Schema):
    document_number: str = Field(
        "", max_length=40, description="Passports: the booklet number. Others: leave empty."
    )


class ApplicationDetailsIn(Schema):
    """What the service asks beyond your identity record (see
    ``details_required`` on the application): a family card number for
    passports, the sponsor for stay permits, and for an extension the permit
    it extends. Send only those fields."""

    family_card_number: str | None = Field(None, max_length=20, description="16 digits.")
    sponsor_kind: SponsorKind | None = None
    sponsor_name: str | None = Field(None, max_length=200)
    sponsor_contact: str | None = Field(
        None, max_length=254, description="Phone (+62...) or e-mail address."
    )
    extends_permit: uuid.UUID | None = Field(
        None,
        description="An extension: the id of the permit it extends, one of "
        "``GET .../permits-to-extend`` (your own, current or recently ended).",
    )


# --- decisions and issued documents (the applicant) ---------------------------------


class DecisionOfficeOut(Schema):
    """The office that decided, and how to reach it."""

    code: str
    name: str
    address: str
    phone: str = Field(..., description="Empty when the office has given none.")


class DecisionLegalBasisOut(Schema):
    text: str = Field(..., description="The regulation the reason rests on, in your language.")
    source: str = Field(..., description="Where SIMI's data on that basis comes from.")


class DecisionNextStepOut(Schema):
    kind: str = Field(..., description="reapply, reconsider or ask.")
    title: str
    text: str
    url: str = Field(
        ...,
        description="A site-relative page for the step (a new application, the service's "
        "requirements), or empty for a visit or a call.",
    )


class CollectionOut(Schema):
    """Where, when and with what to collect the issued document."""

    where: str
    when: str
    collect_by: date = Field(..., description="The last day; afterwards the document is cancelled.")
    bring: list[str]


class ApplicationDecisionOut(Schema):
    """The decision on one of your applications: for a refusal the reason (the
    code shown to you, never the staff note), its legal basis and what you can
    do next; for an approval how to collect the document once issued."""

    application_id: uuid.UUID
    tracking_code: str
    outcome: str = Field(..., description="refused or approved.")
    decided_on: date
    office: DecisionOfficeOut
    reason: RejectReason | None = Field(None, description="For a refusal: the reason's code.")
    reason_label: str = Field("", description="For a refusal: the reason in your language.")
    legal_basis: DecisionLegalBasisOut | None = None
    next_steps: list[DecisionNextStepOut] = []
    letter_pdf: str | None = Field(
        None, description="For a refusal: the API path of the decision letter (PDF)."
    )
    collection: CollectionOut | None = Field(
        None, description="While the issued document waits at the office."
    )


class ApplicantIssuedDocumentOut(Schema):
    """A document issued to you on one of your applications."""

    id: uuid.UUID
    application_id: uuid.UUID
    tracking_code: str
    kind: str = Field(..., description="passport, visa, stay_permit, ... (the register's kind).")
    number: str
    status: str = Field(..., description="valid or revoked.")
    issued_at: datetime
    valid_from: date
    valid_until: date
    seal: str = Field(
        ...,
        description="The signed seal's text (what its QR code holds); check it with "
        "POST /api/v1/verify or on the verification page.",
    )
    verify_url: str = Field(..., description="The public page that checks a seal.")
    pdf: str | None = Field(
        None,
        description="The API path of the collection receipt with the QR seal (PDF), "
        "while the document is issued or collected.",
    )
