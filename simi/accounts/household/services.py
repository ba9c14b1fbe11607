"""Writes of household members: an applicant adds, corrects and removes the
family members they apply for. Each member is a ``Person`` validated by the
same checks as the applicant's own identity (``people.services.person_check``:
NIK with the birth date and sex it carries, passport by nationality).

A number another record holds is treated as for the applicant's own identity
(docs/security.md, "Identity numbers: no oracle"): the same work and the same
answer, the number stored on the member's record without its index, so no
look-up finds the member by it until the office has seen the document. A
number that is the account holder's own or another member's of the same
account is refused with a clear message: that tells the applicant nothing
about anyone else.
"""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from simi.accounts.codes import Action, Code
from simi.accounts.household.selectors import household_member_get_own
from simi.accounts.models import HouseholdMember, IdentityClaim, User
from simi.accounts.roles import Role
from simi.audit.services import audit_record
from simi.core.codes import CommonCode
from simi.core.errors import Conflict, PermissionDenied, RateLimited, ValidationFailed
from simi.core.hooks import run_hook
from simi.core.ratelimit import hit_wait
from simi.people.models import Person
from simi.people.services import (
    CheckedPerson,
    PersonData,
    number_holder,
    person_check,
    person_delete,
    person_record,
)

# A family of a serious size fits; the cap keeps one account from becoming a register.
MAX_MEMBERS = 10
# Adds, corrections and removals per account and hour, pages and API together.
CHANGES_PER_HOUR = 30
HOUR = 3600

Relationship = HouseholdMember.Relationship


def _applicant(actor: User) -> User:
    if actor.role != Role.APPLICANT or not actor.is_active:
        raise PermissionDenied(_("Only applicants keep family members here."))
    return User.objects.select_for_update(no_key=True).get(pk=actor.pk)


def _count_change(user: User) -> None:
    wait = hit_wait("household-change", str(user.pk), limit=CHANGES_PER_HOUR, window_seconds=HOUR)
    if wait:
        raise RateLimited(
            _("You have changed your family members too often. Try again in about an hour."),
            code=Code.HOUSEHOLD_CHANGES_LIMITED,
            retry_after=wait,
        )


def _relationship(value: str) -> str:
    if value not in Relationship.values:
        raise ValidationFailed.for_field(
            "relationship",
            _("Choose how this person is related to you."),
            code=CommonCode.VALIDATION_FAILED,
        )
    return value


def _own_records(user: User, *, excluding: Person | None) -> list[tuple[Person, bool]]:
    """The account holder's record (and one waiting for a check), then every
    member's record but ``excluding``; each with whether it is a member's."""
    records = [(user.person, False)] if user.person is not None else []
    waiting = IdentityClaim.objects.filter(
        account=user, status=IdentityClaim.Status.PENDING, person__isnull=False
    ).select_related("person")
    records += [(claim.person, False) for claim in waiting if claim.person is not None]
    members = HouseholdMember.objects.filter(account=user).select_related("person")
    records += [
        (m.person, True) for m in members if excluding is None or m.person_id != excluding.pk
    ]
    return records


def _refuse_repeated_numbers(
    user: User, checked: CheckedPerson, *, excluding: Person | None
) -> None:
    values = checked.values
    for record, is_member in _own_records(user, excluding=excluding):
        if values["nik"] and record.nik == values["nik"]:
            field, label = "nik", _("NIK")
        elif (
            values["passport_number"]
            and record.passport_number == values["passport_number"]
            and record.nationality == values["nationality"]
        ):
            field, label = "passport_number", _("passport number")
        else:
            continue
        message = (
            _("This %(number)s is already another family member's on your account.")
            if is_member
            else _("This %(number)s is your own. Enter the family member's own %(number)s.")
        ) % {"number": label}
        raise ValidationFailed.for_field(field, message, code=Code.HOUSEHOLD_NUMBER_REPEATED)


def _write_record(user: User, record: Person | None, checked: CheckedPerson) -> Person:
    """The member's record; a number another record holds is kept without its
    index (looked up the same way whether it is held or not)."""
    for _attempt in range(2):
        withheld = frozenset(
            number.kind
            for number in checked.numbers
            if number_holder(number, excluding=record) is not None
        )
        try:
            return person_record(
                actor=user,
                person=record,
                checked=checked,
                withheld=withheld,
                is_demo=user.is_demo,
            )
        except IntegrityError:
            if record is not None:
                record.refresh_from_db()
    raise Conflict(_("Please try again."), code=CommonCode.CONFLICT)


@transaction.atomic
def household_member_add(*, actor: User, relationship: str, data: PersonData) -> HouseholdMember:
    """Add a family member to apply for (at most ``MAX_MEMBERS``)."""
    user = _applicant(actor)
    relationship = _relationship(relationship)
    checked = person_check(data)
    if HouseholdMember.objects.filter(account=user).count() >= MAX_MEMBERS:
        raise Conflict(
            _(
                "You can add at most %(max)d family members. Remove one you no longer "
                "apply for, or ask the office for help with a larger family."
            )
            % {"max": MAX_MEMBERS},
            code=Code.HOUSEHOLD_FULL,
        )
    _refuse_repeated_numbers(user, checked, excluding=None)
    _count_change(user)
    person = _write_record(user, None, checked)
    member = HouseholdMember.objects.create(account=user, person=person, relationship=relationship)
    audit_record(
        actor=user,
        action=Action.HOUSEHOLD_MEMBER_ADDED,
        target=member,
        data={"relationship": relationship, "kind": person.kind, "person": str(person.public_id)},
    )
    return member


@transaction.atomic
def household_member_update(
    *, actor: User, public_id: uuid.UUID, relationship: str, data: PersonData
) -> HouseholdMember:
    """Correct a member's relationship or identity data; the audit names the
    fields that changed, never their values."""
    user = _applicant(actor)
    member = household_member_get_own(actor=user, public_id=public_id)
    relationship = _relationship(relationship)
    checked = person_check(data)
    _refuse_repeated_numbers(user, checked, excluding=member.person)
    _count_change(user)
    person = member.person
    before = {name: getattr(person, name) for name in checked.values}
    _write_record(user, person, checked)
    changed = sorted(name for name, value in before.items() if getattr(person, name) != value)
    if member.relationship != relationship:
        member.relationship = relationship
        member.save(update_fields=["relationship", "updated_at"])
        changed.append("relationship")
    audit_record(
        actor=user,
        action=Action.HOUSEHOLD_MEMBER_UPDATED,
        target=member,
        data={"fields": changed},
    )
    return member


@transaction.atomic
def household_member_remove(*, actor: User, public_id: uuid.UUID) -> None:
    """Remove a member and their record; refused while applications for them
    exist (they are the office's records: each domain above that keeps some
    says so through the hook ``accounts.household_member_blockers``)."""
    user = _applicant(actor)
    member = household_member_get_own(actor=user, public_id=public_id)
    reasons = [r for r in run_hook("accounts.household_member_blockers", person=member.person) if r]
    if reasons:
        raise Conflict(reasons[0], code=Code.HOUSEHOLD_MEMBER_IN_USE)
    _count_change(user)
    person = member.person
    audit_record(
        actor=user,
        action=Action.HOUSEHOLD_MEMBER_REMOVED,
        target=member,
        data={"relationship": member.relationship, "person": str(person.public_id)},
    )
    member.delete()
    person_delete(actor=user, person=person)


@transaction.atomic
def household_erase(*, actor: User | None, account: User) -> None:
    """Erasure of the account (privacy): every member and their record go,
    audited like a removal. Called once the account's drafts are discarded
    and nothing submitted is kept (privacy's erasure blockers)."""
    members = HouseholdMember.objects.filter(account=account).select_related("person")
    for member in members:
        person = member.person
        audit_record(
            actor=actor,
            action=Action.HOUSEHOLD_MEMBER_REMOVED,
            target=member,
            data={"relationship": member.relationship, "person": str(person.public_id)},
        )
        member.delete()
        person_delete(actor=actor, person=person)
