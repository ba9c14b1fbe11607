"""Reading issued documents, scoped to the caller's offices."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from simi.accounts.actors import Actor
from simi.accounts.scoping import scope_by_office
from simi.audit.services import audit_record
from simi.core.errors import NotFound
from simi.issuance.codes import Action
from simi.issuance.models import IssuedDocument


def document_list(*, actor: Actor) -> QuerySet[IssuedDocument]:
    """Documents of the offices the actor sees (none for non-staff)."""
    if not actor.is_authenticated or not actor.is_office_staff:
        return IssuedDocument.objects.none()
    found = IssuedDocument.objects.select_related("office")
    return scope_by_office(found, actor)


def document_get(*, actor: Actor, public_id: uuid.UUID) -> IssuedDocument:
    """One document; outside the actor's scope it is as missing as a wrong id."""
    document = document_list(actor=actor).filter(public_id=public_id).first()
    if document is None:
        raise NotFound()
    return document


def document_open(*, actor: Actor, public_id: uuid.UUID) -> IssuedDocument:
    """A document for its full page (number, MRZ: personal data); the look-up is audited."""
    document = document_get(actor=actor, public_id=public_id)
    audit_record(
        actor=actor,
        action=Action.DOCUMENT_VIEWED,
        target=document,
        data={"kind": document.kind},
    )
    return document
