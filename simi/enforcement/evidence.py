"""Evidence files of a case: checked by content (PDF, JPEG, PNG), encrypted
with the data key ring (the context binds each file to its row), written
to the default storage under a random name; every read is audited and on
the timeline. The same file sent twice to a case is one piece of evidence.
"""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.audit.services import audit_record
from simi.core.crypto import decrypt_bytes, encrypt_bytes
from simi.core.errors import Conflict, NotFound, ValidationFailed
from simi.core.uploads import check_upload
from simi.enforcement import access
from simi.enforcement.codes import Action, Code
from simi.enforcement.models import Case, EventKind, Evidence
from simi.enforcement.services import record_event

MAX_EVIDENCE = 50
DESCRIPTION_MAX = 500


def _context(evidence: Evidence) -> str:
    return f"enforcement.evidence:{evidence.public_id}"


def evidence_add(
    *, actor: Actor, case: Case, content: bytes, description: str | None = None
) -> Evidence:
    uploader = access.require_manage(actor)
    access.in_scope(actor, case.office_id)
    if case.is_closed:
        raise Conflict(_("This case is closed."), code=Code.CASE_CLOSED)
    clean = " ".join((description or "").split()) or None
    if clean and len(clean) > DESCRIPTION_MAX:
        raise ValidationFailed.for_field(
            "description",
            _("The description is at most 500 characters."),
            code=Code.DESCRIPTION_TOO_LONG,
        )
    checked = check_upload(content)
    existing = case.evidence.filter(sha256=checked.sha256).first()
    if existing is not None:
        return existing
    if case.evidence.count() >= MAX_EVIDENCE:
        raise Conflict(
            _("This case already has %(max)d files.") % {"max": MAX_EVIDENCE},
            code=Code.TOO_MUCH_EVIDENCE,
        )
    evidence = Evidence(
        public_id=uuid.uuid4(),
        case=case,
        uploaded_by=uploader,
        description=clean,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        created_at=timezone.now(),
    )
    name = f"enforcement/{case.public_id}/{evidence.public_id}.bin"
    stored = default_storage.save(
        name, ContentFile(encrypt_bytes(content, context=_context(evidence)))
    )
    evidence.storage_name = stored
    data = {
        "evidence": str(evidence.public_id),
        "sha256": checked.sha256,
        "type": checked.content_type,
        "size": checked.size,
    }
    try:
        with transaction.atomic():
            evidence.save(force_insert=True)
            record_event(case, EventKind.EVIDENCE_ADDED, actor=actor, data=data)
            audit_record(actor=actor, action=Action.EVIDENCE_ADDED, target=case, data=data)
    except IntegrityError:
        default_storage.delete(stored)
        winner = case.evidence.filter(sha256=checked.sha256).first()
        if winner is None:
            raise
        return winner
    except BaseException:
        default_storage.delete(stored)
        raise
    return evidence


def evidence_get(*, actor: Actor, case: Case, evidence_id: uuid.UUID) -> Evidence:
    access.require_read(actor)
    access.in_scope(actor, case.office_id)
    found = case.evidence.filter(public_id=evidence_id).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def evidence_content(*, actor: Actor, evidence: Evidence) -> bytes:
    """The decrypted bytes; the read is audited and on the timeline."""
    case = evidence.case
    access.require_read(actor)
    access.in_scope(actor, case.office_id)
    with default_storage.open(evidence.storage_name, "rb") as handle:
        blob = handle.read()
    content = decrypt_bytes(blob, context=_context(evidence))
    data = {"evidence": str(evidence.public_id)}
    record_event(case, EventKind.EVIDENCE_VIEWED, actor=actor, data=data)
    audit_record(
        actor=actor,
        action=Action.EVIDENCE_VIEWED,
        target=case,
        data=data,
        purpose="oversight",
    )
    return content
