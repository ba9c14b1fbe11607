"""Identity claims in the API: the applicant's numbers waiting for a check,
and the office's queue where officers decide them."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja.pagination import LimitOffsetPagination, paginate

from simi.accounts.actors import signed_in
from simi.accounts.claims import selectors, services
from simi.accounts.claims.schemas import (
    ClaimantOut,
    HolderOut,
    IdentityClaimDecisionIn,
    IdentityClaimDetailOut,
    IdentityClaimOfficeIn,
    IdentityClaimOut,
    IdentityClaimStaffOut,
)
from simi.accounts.models import IdentityClaim
from simi.accounts.schemas import IdentityOut
from simi.core.routing import ScopedRouter
from simi.people.models import Person

router = ScopedRouter(tags=["accounts"])


def identity_out(person: Person) -> IdentityOut:
    return IdentityOut(
        kind=person.kind,
        full_name=person.full_name,
        nationality=person.nationality,
        nik_last4=person.nik[-4:] if person.nik else None,
        passport_last4=person.passport_number[-4:] if person.passport_number else None,
        sex=person.sex,  # type: ignore[arg-type]
        birth_date=person.birth_date,
    )


def claim_out(claim: IdentityClaim) -> IdentityClaimOut:
    return IdentityClaimOut(
        id=claim.public_id,
        number=claim.number_kind,  # type: ignore[arg-type]
        number_last4=claim.number_last4,
        status=claim.status,  # type: ignore[arg-type]
        office=claim.office.code if claim.office else None,
        created_at=claim.created_at,
    )


def _staff_out(claim: IdentityClaim) -> IdentityClaimStaffOut:
    return IdentityClaimStaffOut(**claim_out(claim).model_dump(), decided_at=claim.decided_at)


@router.put(
    "/me/identity/claims/{claim_id}",
    scope="profile",
    response=IdentityClaimOut,
    summary="Choose the office that checks your number",
)
def identity_claim_office(
    request: HttpRequest, claim_id: uuid.UUID, payload: IdentityClaimOfficeIn
) -> IdentityClaimOut:
    """Name the office where you will bring your e-KTP or passport."""
    claim = services.identity_claim_office_choose(
        actor=signed_in(request.user), public_id=claim_id, office_code=payload.office
    )
    return claim_out(claim)


@router.get(
    "/office/identity-claims",
    scope="people:resolve",
    response=list[IdentityClaimStaffOut],
    summary="Identity numbers waiting for a check at your office",
)
@paginate(LimitOffsetPagination)
def identity_claim_queue(request: HttpRequest) -> list[IdentityClaimStaffOut]:
    """Oldest first; only your office's and its service points'."""
    claims = selectors.identity_claims_for_office(actor=signed_in(request.user))
    return [_staff_out(claim) for claim in claims]


def detail_out(claim: IdentityClaim) -> IdentityClaimDetailOut:
    record, holder = claim.person, claim.holder
    claimant = None
    if record is not None:
        claimant = ClaimantOut(
            email=claim.account.email,
            full_name=record.full_name,
            kind=record.kind,
            nationality=record.nationality,
            birth_date=record.birth_date,
            number=claim.number,
        )
    holder_out = None
    if holder is not None:
        holder_out = HolderOut(
            full_name=holder.full_name,
            has_account=selectors.holder_account(claim) is not None,
            recorded_at=holder.created_at,
        )
    return IdentityClaimDetailOut(
        **_staff_out(claim).model_dump(), claimant=claimant, holder=holder_out
    )


@router.get(
    "/office/identity-claims/{claim_id}",
    scope="people:resolve",
    response=IdentityClaimDetailOut,
    summary="One identity claim (audited)",
)
def identity_claim_get(request: HttpRequest, claim_id: uuid.UUID) -> IdentityClaimDetailOut:
    """With the claimant's data, to compare with their documents; another
    office's claim answers 404."""
    claim = selectors.identity_claim_get_staff(actor=signed_in(request.user), public_id=claim_id)
    return detail_out(claim)


@router.post(
    "/office/identity-claims/{claim_id}/confirm",
    scope="people:resolve",
    fresh_factor=True,
    response=IdentityClaimStaffOut,
    summary="Confirm a number as the claimant's",
)
def identity_claim_confirm(
    request: HttpRequest, claim_id: uuid.UUID, payload: IdentityClaimDecisionIn
) -> IdentityClaimStaffOut:
    """After seeing the original documents: the number moves to the claimant's
    record, an account that held it loses it and is told. 409
    ``identity_claim_decided`` when already decided."""
    claim = services.identity_claim_confirm(
        actor=signed_in(request.user), public_id=claim_id, note=payload.note
    )
    return _staff_out(claim)


@router.post(
    "/office/identity-claims/{claim_id}/reject",
    scope="people:resolve",
    fresh_factor=True,
    response=IdentityClaimStaffOut,
    summary="Reject a claim to a number",
)
def identity_claim_reject(
    request: HttpRequest, claim_id: uuid.UUID, payload: IdentityClaimDecisionIn
) -> IdentityClaimStaffOut:
    """The documents do not show the number is the claimant's: the holder
    keeps it and the claimant is told."""
    claim = services.identity_claim_reject(
        actor=signed_in(request.user), public_id=claim_id, note=payload.note
    )
    return _staff_out(claim)
