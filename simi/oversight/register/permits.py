"""Every write on stay permits: recorded by an officer, cancelled, or
attached to the register when SIMI issues one (``permit_register_from_issuance``),
possibly as the extension of an earlier permit (``permits_to_extend`` lists
what an applicant may choose, ``permit_to_extend`` checks the one chosen,
``extension_start`` says when the extension begins).

Keyword-only, atomic, audited with ids and codes only; a permit is screened
once recorded. Permit numbers are encrypted, with a blind index unique per kind.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.audit.services import audit_record
from simi.core.crypto import blind_index
from simi.core.errors import Conflict, ValidationFailed
from simi.core.models import Office
from simi.oversight.access import require_write_in
from simi.oversight.codes import Action, Code
from simi.oversight.models import (
    Foreigner,
    PermitKind,
    PermitStatus,
    Sponsor,
    StayPermit,
    TravelDocument,
)
from simi.oversight.register.charges import charge_in_force
from simi.people.models import Person
from simi.screening.flows import request_screening as _request_screening

PERMIT_INDEX = "stay_permit"
_PERMIT_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9/.\-]{2,39}$")
Errors = dict[str, list[str | Promise]]


def permit_number_index(kind: str, number: str) -> str:
    return blind_index(PERMIT_INDEX, f"{kind}:{number}")


def _permit_number(raw: str, errors: Errors) -> str:
    number = "".join((raw or "").split()).upper()
    if not _PERMIT_NUMBER.match(number):
        errors.setdefault("number", []).append(
            _("A permit number has 3 to 40 letters, digits, '/', '.' or '-'.")
        )
    return number


# --- Stay permits ------------------------------------------------------------


def _permit_fields(
    kind: str, number: str, valid_from: date | None, valid_until: date | None
) -> str:
    errors: Errors = {}
    if kind not in PermitKind.values:
        errors.setdefault("kind", []).append(_("Choose a kind of permit."))
    clean = _permit_number(number, errors)
    if valid_from is None:
        errors.setdefault("valid_from", []).append(_("Enter the first day of validity."))
    if valid_until is None:
        errors.setdefault("valid_until", []).append(_("Enter the last day of validity."))
    if valid_from and valid_until and valid_until < valid_from:
        errors.setdefault("valid_until", []).append(
            _("The end of validity cannot be before its start.")
        )
    if errors:
        raise ValidationFailed(fields=errors)
    if StayPermit.objects.filter(kind=kind, number_index=permit_number_index(kind, clean)).exists():
        message = _("A permit of this kind with this number is already registered.")
        raise Conflict(message, code=Code.PERMIT_NUMBER_TAKEN, fields={"number": [message]})
    return clean


def _status_on(valid_until: date) -> str:
    return PermitStatus.EXPIRED if valid_until < timezone.localdate() else PermitStatus.ACTIVE


@transaction.atomic
def permit_create(
    *,
    actor: Actor | None,
    foreigner: Foreigner,
    kind: str,
    number: str,
    valid_from: date | None,
    valid_until: date | None,
    sponsor: Sponsor | None = None,
    office: Office | None = None,
) -> StayPermit:
    """Record a stay permit (one issued elsewhere, or on paper)."""
    require_write_in(actor, foreigner.office_id)
    issuing = office or foreigner.office
    clean = _permit_fields(kind, number, valid_from, valid_until)
    assert valid_from is not None
    assert valid_until is not None
    if sponsor is not None:
        require_write_in(actor, sponsor.office_id)
    permit = StayPermit.objects.create(
        foreigner=foreigner,
        kind=kind,
        number=clean,
        number_index=permit_number_index(kind, clean),
        valid_from=valid_from,
        valid_until=valid_until,
        office=issuing,
        sponsor=sponsor,
        status=_status_on(valid_until),
    )
    audit_record(
        actor=actor,
        action=Action.PERMIT_RECORDED,
        target=permit,
        data={
            "foreigner": str(foreigner.public_id),
            "kind": kind,
            "valid_until": valid_until.isoformat(),
        },
    )
    _request_screening(subject_type="stay_permit", subject_id=permit.pk)
    return permit


@transaction.atomic
def permit_cancel(*, actor: Actor | None, permit: StayPermit) -> StayPermit:
    """Cancel a permit (e.g. the holder left for good); a second call changes nothing.

    Cancelling an extension breaks the chain: the permit it extended is
    active (or expired) again, so its own end counts for reminders and overstays.
    """
    require_write_in(actor, permit.foreigner.office_id)
    locked = StayPermit.objects.select_for_update(no_key=True).get(pk=permit.pk)
    if locked.status == PermitStatus.CANCELLED:
        return locked
    status_from = locked.status
    locked.status = PermitStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.PERMIT_CANCELLED,
        target=locked,
        data={"from": status_from},
    )
    if locked.extends_id is not None:
        _reopen(actor, locked.extends_id, cancelled=locked)
    return locked


def _reopen(actor: Actor | None, permit_id: int, *, cancelled: StayPermit) -> None:
    extended = StayPermit.objects.select_for_update(no_key=True).get(pk=permit_id)
    if extended.status != PermitStatus.EXTENDED:
        return
    extended.status = _status_on(extended.valid_until)
    extended.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.PERMIT_REOPENED,
        target=extended,
        data={"to": extended.status, "cancelled_extension": str(cancelled.public_id)},
    )


# --- Extensions --------------------------------------------------------------

# A permit can still be extended this many days after its last day: up to the
# overstay charge's escalation threshold (UU 6/2011 Art. 78: under 60 days the
# charge, beyond it deportation), read from data/charges.csv.
OVERSTAY_CHARGE = "overstay"
EXTENDABLE_STATES = (PermitStatus.ACTIVE, PermitStatus.EXPIRED)


def late_extension_days(applied_on: date) -> int:
    """How many days after its end a permit may still be extended, on ``applied_on``."""
    return charge_in_force(OVERSTAY_CHARGE, applied_on).escalation_after_days


def permits_to_extend(*, holder: Person | None, kind: str, applied_on: date) -> list[StayPermit]:
    """The permits ``holder`` may extend on ``applied_on``: their own permits of
    ``kind``, neither cancelled nor extended, current or ended at most
    ``late_extension_days`` before; the latest first. What an applicant
    chooses from."""
    if holder is None:
        return []
    oldest_end = applied_on - timedelta(days=late_extension_days(applied_on))
    return list(
        StayPermit.objects.filter(
            foreigner__person=holder,
            kind=kind,
            status__in=EXTENDABLE_STATES,
            valid_until__gte=oldest_end,
        ).order_by("-valid_until", "-id")
    )


def permit_to_extend(
    *,
    holder: Person | None,
    kind: str,
    permit_id: uuid.UUID,
    applied_on: date,
    field: str = "permit",
) -> StayPermit:
    """The permit an application for an extension names by its id: a permit
    of ``kind`` registered to ``holder`` (the applicant's own identity record),
    checked by ``permit_check_extendable``. Someone else's permit answers
    exactly like an id that does not exist."""
    found = None
    if holder is not None:
        found = StayPermit.objects.filter(
            public_id=permit_id, kind=kind, foreigner__person=holder
        ).first()
    if found is None:
        raise _unknown(kind, field)
    return permit_check_extendable(permit=found, holder=holder, applied_on=applied_on, field=field)


def permit_check_extendable(
    *, permit: StayPermit, holder: Person | None, applied_on: date, field: str = "permit"
) -> StayPermit:
    """Whether ``permit`` may still be extended, checked in this order:

    1. it is registered to ``holder`` (else ``permit_to_extend_unknown``);
    2. not cancelled and not already extended (``permit_to_extend_closed``);
    3. current on ``applied_on``, the day of the application, or ended at most
       ``late_extension_days`` before it (``permit_to_extend_ended``). The days
       between its end and a late application are an overstay, charged as such.

    Errors are ValidationFailed on ``field`` (the caller's name for the permit).
    """
    fresh = StayPermit.objects.select_related("foreigner").get(pk=permit.pk)
    if holder is None or fresh.foreigner.person_id != holder.pk:
        raise _unknown(fresh.kind, field)
    if fresh.status not in EXTENDABLE_STATES:
        raise ValidationFailed.for_field(
            field,
            _("This permit is cancelled or already extended; it cannot be extended."),
            code=Code.PERMIT_TO_EXTEND_CLOSED,
        )
    late = late_extension_days(applied_on)
    if fresh.valid_until < applied_on - timedelta(days=late):
        raise ValidationFailed.for_field(
            field,
            _(
                "This permit ended on %(day)s, more than %(days)s days ago: it can no "
                "longer be extended. Please contact the office."
            )
            % {"day": fresh.valid_until.isoformat(), "days": late},
            code=Code.PERMIT_TO_EXTEND_ENDED,
        )
    return fresh


def _unknown(kind: str, field: str) -> ValidationFailed:
    label = PermitKind(kind).label if kind in PermitKind.values else kind
    return ValidationFailed.for_field(
        field,
        _("Choose one of your own %(kind)s permits that can be extended.") % {"kind": label},
        code=Code.PERMIT_TO_EXTEND_UNKNOWN,
    )


def extension_start(permit: StayPermit, *, applied_on: date) -> date:
    """An extension begins the day after the permit it extends ends, even when
    it is issued later: applied for in time, the stay continues without a gap.
    Applied for late, it begins on the day of the application, so the days
    between are an overstay (``detection.overstay_of``)."""
    return max(permit.valid_until + timedelta(days=1), applied_on)


def _extended(foreigner: Foreigner, extends: StayPermit, valid_from: date) -> StayPermit:
    """The permit being extended, locked and checked once more at issue time."""
    locked = StayPermit.objects.select_for_update(no_key=True).get(pk=extends.pk)
    if locked.foreigner_id != foreigner.pk:
        raise ValidationFailed.for_field(
            "extends",
            _("An extension continues a permit of the same foreigner."),
            code=Code.PERMIT_TO_EXTEND_UNKNOWN,
        )
    if locked.status not in EXTENDABLE_STATES:
        raise Conflict(
            _("The permit to extend was cancelled or extended meanwhile; nothing was issued."),
            code=Code.PERMIT_TO_EXTEND_CLOSED,
        )
    if valid_from <= locked.valid_until:
        raise ValidationFailed.for_field(
            "valid_from",
            _("An extension starts after the permit it extends ends."),
            code=Code.EXTENSION_START,
        )
    return locked


@transaction.atomic
def permit_register_from_issuance(
    *,
    actor: Actor | None,
    holder: Person,
    kind: str,
    number: str,
    valid_from: date,
    valid_until: date,
    office: Office,
    issued_document_id: uuid.UUID,
    sponsor: Sponsor | None = None,
    extends: StayPermit | None = None,
) -> StayPermit:
    """Attach a permit SIMI has just issued to the register.

    Called by the services workflow when an ITAS/ITK/... application is
    issued, inside its transaction. ``holder`` is the applicant's Person (a
    foreigner); a Foreigner record is made for them when there is none yet
    (responsible office: ``office``), with their passport as travel document.
    ``extends``: the permit this one continues (an extension; see
    ``permit_to_extend``): it must be the same foreigner's, neither cancelled
    nor extended yet (else Conflict ``permit_to_extend_closed``, and the
    caller's transaction issues nothing), and the new permit must start after
    it ends (``extension_start``). The extended permit's status becomes
    ``extended``.
    Idempotent: a second call with the same ``issued_document_id`` returns
    the permit made by the first.
    """
    existing = StayPermit.objects.filter(issued_document_id=issued_document_id).first()
    if existing is not None:
        return existing
    if holder.kind != Person.Kind.FOREIGNER:
        raise ValidationFailed.for_field(
            "holder", _("A stay permit is for a foreigner."), code=Code.HOLDER_NOT_FOREIGNER
        )
    foreigner = Foreigner.objects.filter(person=holder).first()
    if foreigner is None:
        foreigner = Foreigner.objects.create(person=holder, office=office, is_demo=holder.is_demo)
        if holder.passport_index and holder.passport_number:
            TravelDocument.objects.get_or_create(
                number_index=holder.passport_index,
                defaults={
                    "foreigner": foreigner,
                    "number": holder.passport_number,
                    "issuing_state": holder.nationality,
                },
            )
        audit_record(
            actor=actor,
            action=Action.FOREIGNER_REGISTERED,
            target=foreigner,
            data={"office": office.code, "nationality": holder.nationality, "source": "issuance"},
        )
    extended = _extended(foreigner, extends, valid_from) if extends is not None else None
    clean = _permit_fields(kind, number, valid_from, valid_until)
    permit = StayPermit.objects.create(
        foreigner=foreigner,
        kind=kind,
        number=clean,
        number_index=permit_number_index(kind, clean),
        valid_from=valid_from,
        valid_until=valid_until,
        office=office,
        sponsor=sponsor,
        status=_status_on(valid_until),
        issued_document_id=issued_document_id,
        extends=extended,
    )
    audit_record(
        actor=actor,
        action=Action.PERMIT_RECORDED,
        target=permit,
        data={
            "foreigner": str(foreigner.public_id),
            "kind": kind,
            "valid_until": valid_until.isoformat(),
            "issued_document": str(issued_document_id),
            **({"extends": str(extended.public_id)} if extended is not None else {}),
        },
    )
    if extended is not None:
        status_from = extended.status
        extended.status = PermitStatus.EXTENDED
        extended.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.PERMIT_EXTENDED,
            target=extended,
            data={"from": status_from, "extension": str(permit.public_id)},
        )
    _request_screening(subject_type="stay_permit", subject_id=permit.pk)
    return permit
