"""Checking a seal presented by anyone: signature, register, status, audit log.

Read-only and answerable to strangers, so it never raises on bad input and
never says more about the holder than initials and the birth year.
"""

from __future__ import annotations

import enum
import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from simi.audit.canonical import canonical_json
from simi.audit.selectors import entry_inclusion_proof
from simi.core.errors import NotFound
from simi.issuance import seal
from simi.issuance.models import IssuedDocument
from simi.issuance.sealkeys import accepted_keys

logger = logging.getLogger("simi.issuance")


class Verdict(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    # Not one of the four outcomes first asked for, but a visa presented
    # before its first day must not read "valid".
    NOT_YET_VALID = "not_yet_valid"
    FORGED = "forged"


class Forgery(enum.StrEnum):
    MALFORMED = "malformed"  # not a SIMI seal at all
    UNKNOWN_KEY = "unknown_key"  # signed with a key SIMI never published (or withdrew)
    BAD_SIGNATURE = "bad_signature"  # altered after signing, or signed by someone else
    NOT_REGISTERED = "not_registered"  # a good signature, but SIMI never issued it
    REGISTER_MISMATCH = "register_mismatch"  # signed, yet differs from what SIMI issued


class Inclusion(enum.StrEnum):
    VERIFIED = "verified"  # the issuance entry is in the latest signed tree head
    PENDING = "pending"  # no signed tree head covers it yet (heads are made every 10 min)
    FAILED = "failed"  # the proof does not check: the log is damaged, investigate


@dataclass(frozen=True)
class AuditEvidence:
    leaf_index: int
    inclusion: Inclusion
    tree_size: int | None


@dataclass(frozen=True)
class Verification:
    status: Verdict
    reason: Forgery | None = None
    kind: str | None = None
    initials: str | None = None
    birth_year: int | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    revoked_at: datetime | None = None
    audit: AuditEvidence | None = None

    @property
    def is_valid(self) -> bool:
        return self.status == Verdict.VALID

    @property
    def kind_label(self) -> str:
        """The kind's name in the active language ("" for a forged seal)."""
        return str(IssuedDocument.Kind(self.kind).label) if self.kind else ""


def _forged(reason: Forgery) -> Verification:
    return Verification(status=Verdict.FORGED, reason=reason)


def _audit_evidence(document: IssuedDocument) -> AuditEvidence | None:
    if document.audit_leaf_index is None:
        return None
    index = int(document.audit_leaf_index)
    try:
        proof = entry_inclusion_proof(leaf_index=index)
    except NotFound:
        return AuditEvidence(leaf_index=index, inclusion=Inclusion.PENDING, tree_size=None)
    if not proof.verifies():
        logger.error("seal_audit_proof_failed", extra={"leaf_index": index})
        return AuditEvidence(index, Inclusion.FAILED, proof.head.size)
    return AuditEvidence(index, Inclusion.VERIFIED, proof.head.size)


def _status(document: IssuedDocument, today: date) -> Verdict:
    if document.status == IssuedDocument.Status.REVOKED:
        return Verdict.REVOKED
    if today > document.valid_until:
        return Verdict.EXPIRED
    if today < document.valid_from:
        return Verdict.NOT_YET_VALID
    return Verdict.VALID


def seal_verify(text: str | bytes, *, today: date | None = None) -> Verification:
    """The verdict on a seal's text (what its QR code holds)."""
    try:
        data, kid, sigvl = seal.parse_seal(text)
    except seal.SealError:
        return _forged(Forgery.MALFORMED)
    key = accepted_keys().get(kid)
    if key is None:
        return _forged(Forgery.UNKNOWN_KEY)
    if not seal.signature_valid(data, sigvl, key.key):
        return _forged(Forgery.BAD_SIGNATURE)
    try:
        public_id = uuid.UUID(str(data["msg"].get("id")))
    except ValueError:
        return _forged(Forgery.MALFORMED)
    document = IssuedDocument.objects.filter(public_id=public_id).first()
    if document is None:
        return _forged(Forgery.NOT_REGISTERED)
    # A valid signature over other content than the register holds means the
    # key signed something SIMI did not issue: treat it as forged, loudly.
    if canonical_json(data).decode("utf-8") != document.seal_payload or kid != document.seal_kid:
        logger.error("seal_register_mismatch", extra={"kid": kid})
        return _forged(Forgery.REGISTER_MISMATCH)
    status = _status(document, today or timezone.localdate())
    return Verification(
        status=status,
        kind=document.kind,
        initials=document.holder_initials,
        birth_year=document.holder_birth_year,
        valid_from=document.valid_from,
        valid_until=document.valid_until,
        revoked_at=document.revoked_at,
        audit=_audit_evidence(document) if status == Verdict.VALID else None,
    )
