"""Reads of identity claims: the applicant's own, and the office's queue of
claims waiting for a check, scoped to the officer's offices; opening one (it
shows the claimant's identity data) is audited."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from simi.accounts.codes import Action, Code
from simi.accounts.models import IdentityClaim, User
from simi.accounts.scoping import scope_by_office
from simi.audit.services import audit_record
from simi.core.capabilities import Capability
from simi.core.errors import Conflict, NotFound, PermissionDenied
from simi.core.models import Office

RESOLVE: Capability = "people:resolve"


def identity_claims_waiting_own(*, actor: User) -> QuerySet[IdentityClaim]:
    """The account's claims waiting for a check, oldest first."""
    return IdentityClaim.objects.filter(
        account=actor, status=IdentityClaim.Status.PENDING
    ).select_related("office", "person")


def offices_for_checks() -> QuerySet[Office]:
    """Where an applicant may bring their documents: every active office."""
    return Office.objects.filter(is_active=True).order_by("kind", "name")


def _staff_claims(actor: User) -> QuerySet[IdentityClaim]:
    if not actor.can(RESOLVE):
        raise PermissionDenied()
    # A claim without an office yet is in nobody's queue: the applicant chooses one.
    claims = IdentityClaim.objects.filter(office__isnull=False).select_related(
        "office", "person", "holder", "account", "decided_by"
    )
    return scope_by_office(claims, actor)


def identity_claims_for_office(*, actor: User) -> QuerySet[IdentityClaim]:
    """Claims waiting for a check at the actor's offices, oldest first."""
    return _staff_claims(actor).filter(status=IdentityClaim.Status.PENDING).order_by("created_at")


def identity_claim_get_staff(*, actor: User, public_id: uuid.UUID) -> IdentityClaim:
    """One claim of the actor's offices, with the claimant's data: audited.
    Another office's claim answers exactly like a missing one."""
    claim = _staff_claims(actor).filter(public_id=public_id).first()
    if claim is None:
        raise NotFound()
    audit_record(actor=actor, action=Action.IDENTITY_CLAIM_VIEWED, target=claim)
    return claim


def holder_account(claim: IdentityClaim) -> User | None:
    """The account whose record holds the claimed number now, if any."""
    if claim.holder_id is None:
        return None
    return User.objects.filter(person_id=claim.holder_id).first()


def claim_for_decision(*, actor: User, public_id: uuid.UUID) -> IdentityClaim:
    """The claim to decide, locked and scoped to the officer's offices; only a
    waiting claim is decided."""
    claim = (
        _staff_claims(actor)
        .select_related(None)
        .select_for_update(of=("self",), no_key=True)
        .filter(public_id=public_id)
        .first()
    )
    if claim is None:
        raise NotFound()
    if claim.status != IdentityClaim.Status.PENDING:
        raise Conflict(
            _("This claim was already decided; nothing changed."),
            code=Code.IDENTITY_CLAIM_DECIDED,
        )
    return claim
