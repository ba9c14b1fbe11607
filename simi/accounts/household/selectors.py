"""Reads of an account's household members: the account's own only; anyone
else's member answers NotFound, like a missing one."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from simi.accounts.actors import Actor
from simi.accounts.models import HouseholdMember
from simi.core.errors import NotFound


def household_members_own(*, actor: Actor) -> QuerySet[HouseholdMember]:
    """The actor's household members in the order they were added (none for anonymous)."""
    if not actor.is_authenticated:
        return HouseholdMember.objects.none()
    return HouseholdMember.objects.filter(account=actor).select_related("person")


def household_member_get_own(*, actor: Actor, public_id: uuid.UUID) -> HouseholdMember:
    found = household_members_own(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    return found


def household_member_of(*, account_id: int, person_id: int | None) -> HouseholdMember | None:
    """The account's member whose identity record ``person_id`` is, if any: who
    an application of the account is for, when it is not the holder."""
    if person_id is None:
        return None
    return HouseholdMember.objects.filter(account_id=account_id, person_id=person_id).first()
