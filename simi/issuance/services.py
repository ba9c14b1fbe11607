"""Every write on issued documents: issue (with MRZ and seal) and revoke."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.accounts.roles import Role
from simi.accounts.scoping import visible_office_ids
from simi.audit.canonical import canonical_json
from simi.audit.services import audit_record
from simi.core import trackingcodes
from simi.core.codes import CommonCode
from simi.core.crypto import blind_index
from simi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from simi.core.models import Office
from simi.issuance import mrz, seal
from simi.issuance.codes import Action, Code
from simi.issuance.models import IssuedDocument
from simi.issuance.sealkeys import seal_key_register, signing_key
from simi.people.models import Person

Kind = IssuedDocument.Kind
Status = IssuedDocument.Status

MIN_REASON_LENGTH = 10
MAX_REASON_LENGTH = 1000
MAX_INITIALS = 4
_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9./-]{0,39}$")
# The kinds that carry an ICAO 9303 machine-readable zone: how its lines are
# written and the document code line 1 starts with. Every other kind has none;
# a travel document (SPLP) among them until its MRZ format is confirmed.
_MRZ_FORMATS = {
    Kind.PASSPORT: (mrz.td3_lines, "P"),
    Kind.VISA: (mrz.mrva_lines, "V"),
}


def mrz_document_code(kind: str) -> str | None:
    """The document code of a kind's MRZ ("P" passports, "V" visas); None: it carries none."""
    entry = _MRZ_FORMATS.get(Kind(kind)) if kind in Kind.values else None
    return None if entry is None else entry[1]


def can_issue(actor: Actor, office: Office) -> bool:
    """Supervisors for their office and its service points; administrators anywhere."""
    if (
        not actor.is_authenticated
        or not actor.is_active
        or actor.role not in {Role.SUPERVISOR, Role.ADMIN}
    ):
        return False
    visible = visible_office_ids(actor)
    return visible is None or office.pk in visible


def can_revoke(actor: Actor, document: IssuedDocument) -> bool:
    """Only a supervisor of the office that issued the document."""
    return (
        actor.is_authenticated
        and actor.is_active
        and actor.role == Role.SUPERVISOR
        and actor.office_id is not None
        and actor.office_id == document.office_id
    )


def number_index(kind: str, number: str) -> str:
    return blind_index("issuance.document_number", f"{kind}:{number}")


def holder_initials(full_name: str) -> str:
    """First letters of the name as the MRZ would spell it: "Ánna Maria Eriksson" -> "AME"."""
    return "".join(part[0] for part in mrz.name_components(full_name))[:MAX_INITIALS]


def _clean_number(kind: str, raw: str | None) -> str:
    number = "".join((raw or "").split()).upper()
    if not number and kind == Kind.RECEIPT:
        # Receipts and decision letters carry SIMI's own number.
        return f"SIMI-{trackingcodes.display(trackingcodes.generate())}"
    if not _NUMBER.match(number):
        raise ValidationFailed.for_field(
            "number",
            _("Enter the document number: 1 to 40 letters, digits, '-', '/' or '.'."),
            code=Code.NUMBER_INVALID,
        )
    return number


def _mrz_lines(
    kind: str, number: str, valid_until: date, fields: mrz.MrzFields | None
) -> tuple[str, str] | tuple[None, None]:
    if fields is None:
        return None, None
    entry = _MRZ_FORMATS.get(Kind(kind))
    if entry is None:
        raise ValidationFailed.for_field(
            "mrz", _("Only passports and visas carry an MRZ."), code=Code.MRZ_NOT_APPLICABLE
        )
    write = entry[0]
    if fields.document_number.upper() != number or fields.expiry_date != valid_until:
        raise ValidationFailed.for_field(
            "mrz",
            _("The MRZ must carry the document's number and its expiry date."),
            code=Code.MRZ_MISMATCH,
        )
    try:
        return write(fields)
    except mrz.MrzError as exc:
        raise ValidationFailed.for_field(
            "mrz",
            _("The MRZ cannot be written from these fields: %(detail)s") % {"detail": exc},
            code=Code.MRZ_INVALID,
        ) from exc


def _seal_data(document: IssuedDocument, office: Office) -> dict[str, Any]:
    return {
        "hdr": {"t": seal.SEAL_TYPE, "v": seal.SEAL_VERSION, "is": seal.ISSUING_STATE},
        "msg": {
            "id": str(document.public_id),
            "kind": document.kind,
            "no": document.number,
            "ini": document.holder_initials,
            "yob": document.holder_birth_year,
            "valid_from": document.valid_from.isoformat(),
            "valid_until": document.valid_until.isoformat(),
            "office": office.code,
            "issued_at": document.issued_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    }


@transaction.atomic
def document_issue(
    *,
    actor: Actor,
    kind: str,
    holder: Person | None,
    number: str | None,
    valid_from: date,
    valid_until: date,
    office: Office,
    mrz_fields: mrz.MrzFields | None = None,
    application_reference: str | None = None,
) -> IssuedDocument:
    """Register a document, write its MRZ (passports, visas) and seal it.

    The audit entry carries the SHA-256 of the sealed bytes, so the log's
    inclusion proof for the entry also vouches for the seal's content.
    """
    if not actor.is_authenticated or not can_issue(actor, office):
        raise PermissionDenied()
    if kind not in Kind.values:
        raise ValidationFailed.for_field(
            "kind", _("Choose a kind of document."), code=CommonCode.KIND
        )
    if valid_until < valid_from:
        raise ValidationFailed.for_field(
            "valid_until",
            _("The end of validity cannot be before its start."),
            code=Code.VALIDITY_REVERSED,
        )
    clean_number = _clean_number(kind, number)
    line1, line2 = _mrz_lines(kind, clean_number, valid_until, mrz_fields)
    index = number_index(kind, clean_number)
    if IssuedDocument.objects.filter(kind=kind, number_index=index).exists():
        raise Conflict(
            _("A document of this kind with this number already exists."), code=Code.NUMBER_TAKEN
        )
    key_row = seal_key_register(actor=actor)
    if key_row.withdrawn_at is not None:
        raise Conflict(
            _("The seal key was withdrawn; configure a new one before issuing."),
            code=Code.SEAL_KEY_WITHDRAWN,
        )
    birth_date = holder.birth_date if holder is not None else None
    document = IssuedDocument(
        kind=kind,
        number=clean_number,
        number_index=index,
        holder=holder,
        holder_initials=holder_initials(holder.full_name) if holder is not None else "",
        holder_birth_year=birth_date.year if birth_date is not None else None,
        valid_from=valid_from,
        valid_until=valid_until,
        issued_at=timezone.now().replace(microsecond=0),
        issued_by=actor,
        office=office,
        mrz_line1=line1,
        mrz_line2=line2,
        application_reference=(application_reference or "").strip()[:64] or None,
    )
    private_key, kid = signing_key()
    data = _seal_data(document, office)
    signed = seal.sign_data(data, private_key, kid)
    document.seal_payload = canonical_json(data).decode("utf-8")
    document.seal_signature = signed["sig"]["sigvl"]
    document.seal_kid = kid
    document.save(force_insert=True)
    audit_data: dict[str, Any] = {
        "kind": kind,
        "office": office.code,
        "seal_kid": kid,
        "seal_sha256": hashlib.sha256(document.seal_payload.encode()).hexdigest(),
    }
    if document.application_reference:
        audit_data["application_reference"] = document.application_reference
    entry = audit_record(
        actor=actor, action=Action.DOCUMENT_ISSUED, target=document, data=audit_data
    )
    document.audit_leaf_index = entry.leaf_index
    document.save(update_fields=["audit_leaf_index", "updated_at"])
    return document


@transaction.atomic
def document_revoke(*, actor: Actor, document: IssuedDocument, reason: str) -> IssuedDocument:
    """Withdraw a document; from then on its seal verifies as revoked."""
    locked = IssuedDocument.objects.select_for_update(no_key=True).filter(pk=document.pk).first()
    if locked is None:
        raise NotFound()
    if not actor.is_authenticated or not can_revoke(actor, locked):
        raise PermissionDenied(
            _("Only a supervisor of the issuing office may revoke this document."),
            code=Code.NOT_ISSUING_SUPERVISOR,
        )
    text = (reason or "").strip()
    if len(text) < MIN_REASON_LENGTH or len(text) > MAX_REASON_LENGTH:
        raise ValidationFailed.for_field(
            "reason",
            _("Give the reason in %(min)d to %(max)d characters.")
            % {"min": MIN_REASON_LENGTH, "max": MAX_REASON_LENGTH},
            code=CommonCode.REASON_REQUIRED,
        )
    if locked.status == Status.REVOKED:
        raise Conflict(_("This document is already revoked."), code=Code.ALREADY_REVOKED)
    locked.status = Status.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.revocation_reason = text
    locked.save(
        update_fields=["status", "revoked_at", "revoked_by", "revocation_reason", "updated_at"]
    )
    # The reason stays on the record: audit entries hold codes, not free text.
    audit_record(
        actor=actor, action=Action.DOCUMENT_REVOKED, target=locked, data={"kind": locked.kind}
    )
    return locked


@transaction.atomic
def document_withdraw_uncollected(*, document: IssuedDocument) -> IssuedDocument:
    """The scheduled job's revocation of a document nobody collected in time.

    No person acts, so the audit entry has no actor and the reason is a code.
    """
    locked = IssuedDocument.objects.select_for_update(no_key=True).filter(pk=document.pk).first()
    if locked is None:
        raise NotFound()
    if locked.status == Status.REVOKED:
        return locked
    locked.status = Status.REVOKED
    locked.revoked_at = timezone.now()
    locked.revocation_reason = "Not collected within 30 days (automatic)."
    locked.save(update_fields=["status", "revoked_at", "revocation_reason", "updated_at"])
    audit_record(
        actor=None,
        action=Action.DOCUMENT_WITHDRAWN_UNCOLLECTED,
        target=locked,
        data={"kind": locked.kind},
    )
    return locked
