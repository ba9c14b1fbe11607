"""Household members in the API: the same services as /akun/keluarga/."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.accounts.actors import signed_in
from simi.accounts.household import selectors, services
from simi.accounts.household.schemas import HouseholdMemberIn, HouseholdMemberOut
from simi.accounts.models import HouseholdMember, User
from simi.accounts.roles import Role
from simi.core.errors import PermissionDenied
from simi.core.paging import Paged, paged
from simi.core.routing import ScopedRouter
from simi.people.services import PersonData

router = ScopedRouter(tags=["accounts"])


def member_out(member: HouseholdMember) -> HouseholdMemberOut:
    person = member.person
    return HouseholdMemberOut(
        id=member.public_id,
        relationship=member.relationship,  # type: ignore[arg-type]
        kind=person.kind,
        full_name=person.full_name,
        nationality=person.nationality,
        nik_last4=person.nik[-4:] if person.nik else None,
        passport_last4=person.passport_number[-4:] if person.passport_number else None,
        sex=person.sex,  # type: ignore[arg-type]
        birth_date=person.birth_date,
    )


def _data(payload: HouseholdMemberIn) -> tuple[str, PersonData]:
    fields: dict[str, Any] = payload.model_dump()
    relationship = fields.pop("relationship")
    return relationship, PersonData(**fields)


def _applicant(request: HttpRequest) -> User:
    user = signed_in(request.user)
    if user.role != Role.APPLICANT:
        raise PermissionDenied()
    return user


@router.get(
    "/household/members",
    scope="profile",
    response=list[HouseholdMemberOut],
    summary="Your household members",
)
@paginate(LimitOffsetPagination)
def household_member_list(request: HttpRequest) -> Paged[HouseholdMemberOut]:
    """Applicants only: the family members you apply for, in the order added."""
    return paged(selectors.household_members_own(actor=_applicant(request)), member_out)


@router.post(
    "/household/members",
    scope="profile",
    response={201: HouseholdMemberOut},
    summary="Add a household member",
)
def household_member_add(request: HttpRequest, payload: HouseholdMemberIn) -> Status[Any]:
    """At most 10 members (409 ``household_full``). Your own number or another
    member's: 422 ``household_number_repeated``. Writes are limited per
    account and hour (429 ``household_changes_limited``, Retry-After)."""
    relationship, data = _data(payload)
    member = services.household_member_add(
        actor=_applicant(request), relationship=relationship, data=data
    )
    return Status(201, member_out(member))


@router.get(
    "/household/members/{member_id}",
    scope="profile",
    response=HouseholdMemberOut,
    summary="One household member",
)
def household_member_get(request: HttpRequest, member_id: uuid.UUID) -> HouseholdMemberOut:
    """Someone else's member answers 404, like a missing one."""
    return member_out(
        selectors.household_member_get_own(actor=_applicant(request), public_id=member_id)
    )


@router.put(
    "/household/members/{member_id}",
    scope="profile",
    response=HouseholdMemberOut,
    summary="Correct a household member",
)
def household_member_update(
    request: HttpRequest, member_id: uuid.UUID, payload: HouseholdMemberIn
) -> HouseholdMemberOut:
    """The whole record as it should be; the audit names the fields that changed."""
    relationship, data = _data(payload)
    member = services.household_member_update(
        actor=_applicant(request), public_id=member_id, relationship=relationship, data=data
    )
    return member_out(member)


@router.delete(
    "/household/members/{member_id}",
    scope="profile",
    response={204: None},
    summary="Remove a household member",
)
def household_member_remove(request: HttpRequest, member_id: uuid.UUID) -> Status[None]:
    """A member with applications stays (409 ``household_member_in_use``)."""
    services.household_member_remove(actor=_applicant(request), public_id=member_id)
    return Status(204, None)
