"""Identity numbers an applicant records, and the check of a number another
record already holds (docs/security.md, "Identity numbers: no oracle").

``applicant_identity_save`` answers alike whether a number is on file or not:
the same checks, reads and writes, in the same order, and the same reply. A
number nobody holds is the account's at once; a number another record holds
is stored with the applicant's record without its index and waits, as a
pending ``IdentityClaim``, for an officer at the office the applicant chose
(``identity_claim_office_choose``) to see the documents and confirm
(``identity_claim_confirm``) or reject it (``identity_claim_reject``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts import tasks
from simi.accounts.claims.selectors import claim_for_decision
from simi.accounts.codes import Action, Code
from simi.accounts.models import IdentityClaim, User
from simi.accounts.roles import Role
from simi.audit.services import audit_record
from simi.core.codes import CommonCode
from simi.core.errors import Conflict, NotFound, PermissionDenied, RateLimited, ValidationFailed
from simi.core.hooks import run_hook
from simi.core.models import Office
from simi.core.ratelimit import hit_wait
from simi.people.models import Person
from simi.people.services import (
    NUMBER_FIELDS,
    PRIMARY_NUMBER,
    CheckedPerson,
    Number,
    PersonData,
    holds_number,
    number_holder,
    person_check,
    person_delete,
    person_number_move,
    person_record,
)

# A few corrections a day are plenty for one person; a guesser gets no further.
IDENTITY_CHANGES_PER_DAY = 5
IDENTITY_CHANGES_WINDOW = 24 * 3600
NOTE_MIN, NOTE_MAX = 10, 500

Status = IdentityClaim.Status


@dataclass(frozen=True)
class IdentityEntered:
    """What the applicant entered, as validated: the reply to a save, the same
    whether a number was free or waits for a check."""

    kind: str
    full_name: str
    nationality: str
    nik: str | None
    passport_number: str | None
    sex: str
    birth_date: date | None


def _entered(checked: CheckedPerson) -> IdentityEntered:
    values = checked.values
    return IdentityEntered(
        kind=values["kind"],
        full_name=values["full_name"],
        nationality=values["nationality"],
        nik=values["nik"],
        passport_number=values["passport_number"],
        sex=values["sex"],
        birth_date=values["birth_date"],
    )


def _count_change(user: User) -> None:
    wait = hit_wait(
        "identity-change",
        str(user.pk),
        limit=IDENTITY_CHANGES_PER_DAY,
        window_seconds=IDENTITY_CHANGES_WINDOW,
    )
    if wait:
        hours = max(1, round(wait / 3600))
        raise RateLimited(
            _(
                "You have changed your identity data too often today. Try again in about "
                "%(hours)d hours, or bring your identity document to an immigration office."
            )
            % {"hours": hours},
            code=Code.IDENTITY_CHANGES_LIMITED,
            retry_after=wait,
        )


@transaction.atomic
def applicant_identity_save(*, actor: User, data: PersonData) -> IdentityEntered:
    """An applicant records or corrects their own identity data (encrypted).

    Counted against the account's daily limit (only saves that go through).
    Every number the account did not hold yet becomes a claim: ``recorded``
    when no other record holds it, ``pending`` when one does, with the same
    work for both (no early return, no look-up of who holds it). A number
    waiting for a check keeps the account from applying online until it is
    decided, unless the account already holds a confirmed record.
    """
    if actor.role != Role.APPLICANT:
        raise PermissionDenied(_("Only applicants keep an identity record here."))
    locked = User.objects.select_for_update(no_key=True).get(pk=actor.pk)
    _count_change(locked)
    pending = list(
        IdentityClaim.objects.select_for_update(of=("self",), no_key=True)
        .filter(account=locked, status=Status.PENDING)
        .select_related("person")
    )
    record = locked.person or next((c.person for c in pending if c.person is not None), None)
    checked = person_check(data)
    waiting = {c.number_kind: c for c in pending}
    kept: set[str] = set()
    new: list[Number] = []
    for number in checked.numbers:
        if record is not None and getattr(record, NUMBER_FIELDS[number.kind][1]) == number.index:
            continue  # already the account's
        claim = waiting.get(number.kind)
        if claim is not None and claim.number_index == number.index:
            kept.add(number.kind)  # still waiting for its check
            continue
        new.append(number)
    person, holders = _write_record(locked, record, checked, new, kept)
    ended = [c for c in pending if c.number_kind not in kept]
    for claim in ended:
        claim.status = Status.WITHDRAWN
        claim.save(update_fields=["status", "updated_at"])
        audit_record(actor=locked, action=Action.IDENTITY_CLAIM_WITHDRAWN, target=claim)
    waits = kept | {kind for kind, holder in holders.items() if holder is not None}
    if locked.person_id is None and not waits:
        locked.person = person
    # Written whether or not the account got the record: the same work either way.
    locked.save(update_fields=["person", "updated_at"])
    for number in new:
        holder = holders[number.kind]
        claim = IdentityClaim.objects.create(
            account=locked,
            person=person,
            holder=holder,
            number_kind=number.kind,
            number=number.value,
            number_index=number.index,
            status=Status.PENDING if holder is not None else Status.RECORDED,
        )
        audit_record(
            actor=locked,
            action=Action.IDENTITY_CLAIMED,
            target=claim,
            data={"number": number.kind},
        )
    actor.person = locked.person
    return _entered(checked)


def _write_record(
    user: User, record: Person | None, checked: CheckedPerson, new: list[Number], kept: set[str]
) -> tuple[Person, dict[str, Person | None]]:
    """Write the applicant's record, every new number looked up the same way;
    a number taken between the look-up and the write is looked up again."""
    for _attempt in range(2):
        holders = {number.kind: number_holder(number, excluding=record) for number in new}
        withheld = frozenset(kept | {kind for kind, holder in holders.items() if holder})
        try:
            person = person_record(
                actor=user,
                person=record,
                checked=checked,
                withheld=withheld,
                is_demo=user.is_demo,
            )
        except IntegrityError:
            if record is not None:
                record.refresh_from_db()
            continue
        return person, holders
    raise Conflict(_("Please try again."), code=CommonCode.CONFLICT)


@transaction.atomic
def identity_claim_office_choose(
    *, actor: User, public_id: uuid.UUID, office_code: str
) -> IdentityClaim:
    """The applicant names the office where they will bring their documents."""
    claim = (
        IdentityClaim.objects.select_for_update(no_key=True)
        .filter(public_id=public_id, account=actor, status=Status.PENDING)
        .first()
    )
    if claim is None:
        raise NotFound()
    office = Office.objects.filter(code=office_code or "", is_active=True).first()
    if office is None:
        raise ValidationFailed.for_field(
            "office", _("Choose one of the offices listed."), code=CommonCode.UNKNOWN_OFFICE
        )
    if claim.office_id != office.pk:
        claim.office = office
        claim.save(update_fields=["office", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.IDENTITY_CLAIM_OFFICE_CHOSEN,
            target=claim,
            data={"office": office.code},
        )
    return claim


def _clean_note(note: str) -> str:
    note = " ".join((note or "").split())
    if len(note) < NOTE_MIN:
        raise ValidationFailed.for_field(
            "note",
            _("Write which documents you saw (at least %(n)d characters).") % {"n": NOTE_MIN},
            code=CommonCode.REASON_REQUIRED,
        )
    if len(note) > NOTE_MAX:
        raise ValidationFailed.for_field(
            "note",
            _("The note is at most %(n)d characters.") % {"n": NOTE_MAX},
            code=CommonCode.REASON_TOO_LONG,
        )
    return note


def _decide(claim: IdentityClaim, actor: User, status: str, note: str) -> None:
    claim.status = status
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.decision_note = note
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])


@transaction.atomic
def identity_claim_confirm(*, actor: User, public_id: uuid.UUID, note: str) -> IdentityClaim:
    """The number is the claimant's: the officer saw the documents.

    - The record that holds the number keeps it for its history but loses the
      index; the claimant's record gets it. An account that held it loses its
      record when that was its record's own number (its NIK, or a foreigner's
      passport): it is told, and ``accounts.identity_withdrawn`` runs (drafts
      made with the number are discarded; submitted applications stay as
      records for the office to decide).
    - When the holder is a record the office made (no account) and the
      claimant has no confirmed record yet, the account is joined to that
      record instead, and the claimant's waiting record goes: the office's
      record is the person's.
    - The claimant can apply online once none of their numbers waits.
    """
    claim = claim_for_decision(actor=actor, public_id=public_id)
    note = _clean_note(note)
    claimant = User.objects.select_for_update(no_key=True).get(pk=claim.account_id)
    record = claim.person
    if record is None:
        raise Conflict(
            _("The claimant's identity record no longer exists; nothing can be confirmed."),
            code=Code.IDENTITY_CLAIM_STALE,
        )
    number = Number(claim.number_kind, claim.number, claim.number_index)
    holder = number_holder(number, excluding=record)
    holder_account = (
        User.objects.select_for_update(no_key=True).filter(person=holder).first()
        if holder
        else None
    )
    joined = (
        holder is not None
        and holder_account is None
        and claimant.person_id is None
        and not any(holds_number(record, kind) for kind in ("nik", "passport"))
    )
    if joined:
        assert holder is not None
        IdentityClaim.objects.filter(account=claimant, person=record).exclude(pk=claim.pk).update(
            person=holder
        )
        claim.person = holder
        claim.save(update_fields=["person", "updated_at"])
        person_delete(actor=actor, person=record)
        record = holder
    else:
        person_number_move(actor=actor, number=number, source=holder, target=record)
        if holder is not None and holder_account is not None:
            _withdraw_if_lost(actor, holder_account, holder, number)
    others_waiting = (
        IdentityClaim.objects.filter(account=claimant, status=Status.PENDING)
        .exclude(pk=claim.pk)
        .exists()
    )
    if claimant.person_id is None and not others_waiting:
        claimant.person = record
        claimant.save(update_fields=["person", "updated_at"])
    _decide(claim, actor, Status.CONFIRMED, note)
    audit_record(
        actor=actor,
        action=Action.IDENTITY_CLAIM_CONFIRMED,
        target=claim,
        data={
            "number": number.kind,
            "joined": joined,
            "holder_had_account": holder_account is not None,
        },
    )
    transaction.on_commit(lambda: tasks.send_identity_claim_notice.enqueue(claim.pk, "confirmed"))
    return claim


def _withdraw_if_lost(actor: User, account: User, holder: Person, number: Number) -> None:
    """The account that held the number: told, and without its record when the
    number was the one that says who the record is."""
    lost_record = PRIMARY_NUMBER.get(holder.kind) == number.kind
    if lost_record:
        account.person = None
        account.save(update_fields=["person", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.IDENTITY_WITHDRAWN,
            target=account,
            data={"number": number.kind, "person": str(holder.public_id)},
        )
        run_hook("accounts.identity_withdrawn", actor=actor, user=account, person=holder)
    last4 = number.value[-4:]
    transaction.on_commit(
        lambda: tasks.send_identity_lost_notice.enqueue(account.pk, number.kind, last4)
    )


@transaction.atomic
def identity_claim_reject(*, actor: User, public_id: uuid.UUID, note: str) -> IdentityClaim:
    """The number is not the claimant's. The holder keeps it, and an account
    that holds it is told that someone claimed it. A claimant's record that
    waited for this number (never one the account held) goes with the claim:
    the applicant enters their identity again."""
    claim = claim_for_decision(actor=actor, public_id=public_id)
    note = _clean_note(note)
    claimant = User.objects.select_for_update(no_key=True).get(pk=claim.account_id)
    holder = number_holder(
        Number(claim.number_kind, claim.number, claim.number_index), excluding=claim.person
    )
    holder_account = User.objects.filter(person=holder).first() if holder else None
    _decide(claim, actor, Status.REJECTED, note)
    record = claim.person
    if record is not None and claimant.person_id != record.pk:
        for other in IdentityClaim.objects.filter(
            account=claimant, person=record, status=Status.PENDING
        ):
            other.status = Status.WITHDRAWN
            other.save(update_fields=["status", "updated_at"])
            audit_record(actor=actor, action=Action.IDENTITY_CLAIM_WITHDRAWN, target=other)
        person_delete(actor=actor, person=record)
    audit_record(
        actor=actor,
        action=Action.IDENTITY_CLAIM_REJECTED,
        target=claim,
        data={"number": claim.number_kind},
    )
    transaction.on_commit(lambda: tasks.send_identity_claim_notice.enqueue(claim.pk, "rejected"))
    if holder_account is not None:
        kept = holder_account.pk
        transaction.on_commit(lambda: tasks.send_identity_kept_notice.enqueue(kept, claim.pk))
    return claim
