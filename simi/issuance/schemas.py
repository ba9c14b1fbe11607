"""API schemas of issued documents and public seal verification."""

import uuid
from datetime import date, datetime

from ninja import Field, Schema

from simi.core.documents import DocumentKind
from simi.issuance.models import IssuedDocumentStatus
from simi.issuance.seal import MAX_SEAL_BYTES
from simi.issuance.services import MAX_REASON_LENGTH, MIN_REASON_LENGTH
from simi.issuance.verification import Forgery, Inclusion, Verdict


class SealVerifyIn(Schema):
    """The text of a document's QR seal, exactly as a scanner reads it."""

    seal: str = Field(
        ...,
        max_length=MAX_SEAL_BYTES,
        description='JSON: {"data": {"hdr": ..., "msg": ...}, "sig": {"alg", "kid", "sigvl"}}.',
    )


class AuditEvidenceOut(Schema):
    """Where the issuance is recorded in SIMI's tamper-evident audit log."""

    position: int = Field(..., description="Leaf index N of the issuance entry.")
    inclusion: Inclusion = Field(
        ...,
        description=(
            "verified: the entry is in the latest signed tree head (RFC 9162 inclusion proof "
            "checked); pending: no signed head covers it yet; failed: the proof does not check."
        ),
    )
    tree_size: int | None = Field(None, description="Size of the signed tree head used.")


class SealVerifyOut(Schema):
    """The verdict on a seal, with no personal data beyond initials and birth year."""

    status: Verdict = Field(
        ...,
        description=(
            "valid; revoked; expired; not_yet_valid (before its first day); forged (see reason)."
        ),
    )
    reason: Forgery | None = Field(
        None,
        description=(
            "Only when forged: malformed, unknown_key, bad_signature (altered or signed by "
            "someone else), not_registered, register_mismatch."
        ),
    )
    kind: DocumentKind | None = None
    initials: str | None = Field(None, description="The holder's initials, e.g. AME.")
    birth_year: int | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    revoked_on: date | None = None
    audit: AuditEvidenceOut | None = Field(None, description="Only when valid.")


class IssuedDocumentOut(Schema):
    """An issued document as the register holds it. Its machine-readable zone
    (which holds the document number) is personal data: each read is audited
    (``issuance.document_viewed``)."""

    id: uuid.UUID
    kind: DocumentKind
    status: IssuedDocumentStatus
    initials: str
    birth_year: int | None
    valid_from: date
    valid_until: date
    issued_at: datetime
    office_code: str
    revoked_at: datetime | None
    audit_position: int | None
    mrz: list[str] | None = Field(
        None,
        description="The machine-readable zone SIMI generated (ICAO 9303), one string per "
        "line: two lines of 44 characters, TD3 for a passport, MRV-A for a visa; "
        "null for a kind without one (stay permits, travel documents, receipts).",
    )


class DocumentRevokeIn(Schema):
    """Revoke a document your office issued (supervisors of that office only)."""

    reason: str = Field(
        ...,
        min_length=MIN_REASON_LENGTH,
        max_length=MAX_REASON_LENGTH,
        description="Why the document is withdrawn; kept on the record, not in the audit log.",
    )
