"""Uploading, reading and removing an application's documents.

Files are checked by content (``uploads.check_upload``), encrypted with the
data key ring (the context binds each file to its row) and written to the
default storage backend under a random name. The same file sent twice for the
same requirement is one document: a retried upload changes nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.applications.access import in_office_scope, is_owner, may_process, may_work
from simi.applications.codes import Action, Code
from simi.applications.guardians import application_documents
from simi.applications.models import Application, ApplicationDocument, DocumentStatus, Status
from simi.audit.services import audit_record
from simi.core.crypto import decrypt_bytes, encrypt_bytes
from simi.core.errors import Conflict, NotFound, ValidationFailed
from simi.core.uploads import check_upload

MAX_DOCUMENTS = 40
# The applicant may add documents until verification is complete.
APPLICANT_UPLOAD_STATES = frozenset(
    {Status.DRAFT, Status.REGISTERED, Status.VERIFYING, Status.MORE_DOCUMENTS_REQUESTED}
)
# At the counter an officer scans what the applicant brought, up to the interview.
STAFF_UPLOAD_STATES = APPLICANT_UPLOAD_STATES | {Status.INTERVIEW}


def _context(document: ApplicationDocument) -> str:
    return f"applications.document:{document.public_id}"


def _may_read(actor: Actor, application: Application) -> bool:
    if is_owner(actor, application):
        return True
    return may_work(actor) and in_office_scope(actor, application)


def document_upload(
    *, actor: Actor, application: Application, requirement_code: str, content: bytes
) -> ApplicationDocument:
    """Check, encrypt and store one file for one required document."""
    owner = is_owner(actor, application)
    staff = may_process(actor) and in_office_scope(actor, application)
    if not actor.is_authenticated or not (owner or staff):
        raise NotFound()
    allowed = APPLICANT_UPLOAD_STATES if owner else STAFF_UPLOAD_STATES
    if application.status not in allowed:
        raise Conflict(
            _("Documents can no longer be added to this application."), code=Code.DOCUMENTS_CLOSED
        )
    codes = {requirement.code for requirement in application_documents(application)}
    if requirement_code not in codes:
        raise ValidationFailed.for_field(
            "requirement_code",
            _("Choose one of the documents this service needs."),
            code=Code.UNKNOWN_DOCUMENT,
        )
    checked = check_upload(content)
    existing = application.documents.filter(
        requirement_code=requirement_code, sha256=checked.sha256
    ).first()
    if existing is not None:
        return existing
    if application.documents.count() >= MAX_DOCUMENTS:
        raise Conflict(
            _("This application already has %(max)d files; remove one first.")
            % {"max": MAX_DOCUMENTS},
            code=Code.TOO_MANY_DOCUMENTS,
        )
    document = ApplicationDocument(
        public_id=uuid.uuid4(),
        application=application,
        requirement_code=requirement_code,
        content_type=checked.content_type,
        size=checked.size,
        pages=checked.pages,
        sha256=checked.sha256,
        uploaded_by_role=actor.role,
    )
    name = f"applications/{application.public_id}/{document.public_id}.bin"
    stored = default_storage.save(
        name, ContentFile(encrypt_bytes(content, context=_context(document)))
    )
    document.storage_name = stored
    try:
        with transaction.atomic():
            document.save(force_insert=True)
            audit_record(
                actor=actor,
                action=Action.DOCUMENT_UPLOADED,
                target=application,
                data={
                    "document": str(document.public_id),
                    "requirement": requirement_code,
                    "sha256": checked.sha256,
                    "type": checked.content_type,
                    "size": checked.size,
                },
            )
    except IntegrityError:
        default_storage.delete(stored)
        # A concurrent identical upload won: that one is this document.
        winner = application.documents.filter(
            requirement_code=requirement_code, sha256=checked.sha256
        ).first()
        if winner is None:
            raise
        return winner
    except BaseException:
        default_storage.delete(stored)
        raise
    return document


def document_get(
    *, actor: Actor, application: Application, document_id: uuid.UUID
) -> ApplicationDocument:
    if not _may_read(actor, application):
        raise NotFound()
    document = application.documents.filter(public_id=document_id).first()
    if document is None:
        raise NotFound()
    return document


def document_content(*, actor: Actor, document: ApplicationDocument) -> bytes:
    """The decrypted bytes; a staff read of an applicant's document is audited."""
    application = document.application
    if not _may_read(actor, application):
        raise NotFound()
    with default_storage.open(document.storage_name, "rb") as handle:
        blob = handle.read()
    content = decrypt_bytes(blob, context=_context(document))
    if not is_owner(actor, application):
        audit_record(
            actor=actor,
            action=Action.DOCUMENT_VIEWED,
            target=application,
            data={"document": str(document.public_id), "requirement": document.requirement_code},
            purpose="verification",
        )
    return content


@transaction.atomic
def document_remove(*, actor: Actor, document: ApplicationDocument) -> None:
    """The applicant takes back a file not yet reviewed (e.g. the wrong page)."""
    application = document.application
    if not is_owner(actor, application):
        raise NotFound()
    if document.status != DocumentStatus.SUBMITTED or application.status not in (
        APPLICANT_UPLOAD_STATES
    ):
        raise Conflict(
            _("This file was already reviewed and stays on the application."),
            code=Code.DOCUMENT_LOCKED,
        )
    if application.status not in (Status.DRAFT, Status.MORE_DOCUMENTS_REQUESTED):
        raise Conflict(
            _("Files can be removed only from a draft or while documents are requested."),
            code=Code.DOCUMENT_LOCKED,
        )
    name = document.storage_name
    public_id = str(document.public_id)
    document.delete()
    audit_record(
        actor=actor,
        action=Action.DOCUMENT_REMOVED,
        target=application,
        data={"document": public_id},
    )
    transaction.on_commit(lambda: default_storage.delete(name))


def missing_for_display(application: Application) -> list[Any]:
    """Required documents with whether each is present, for the pages."""
    present = set(
        application.documents.exclude(status=DocumentStatus.REJECTED).values_list(
            "requirement_code", flat=True
        )
    )
    return [
        {"requirement": requirement, "present": requirement.code in present}
        for requirement in application_documents(application)
    ]
