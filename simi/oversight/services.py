"""Every write on the register of foreigners: foreigners from a pasted
passport MRZ, travel documents, sponsors, stay permits, entries and exits.

Keyword-only, atomic, audited with ids and codes only. Staff write only in
the offices they see; someone else's record answers NotFound.
Lodging reports are in ``lodging.py``, the detection jobs in ``detection.py``.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.accounts.scoping import visible_office_ids
from simi.audit.services import audit_record
from simi.core.crypto import blind_index
from simi.core.errors import (
    Conflict,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from simi.core.models import Office, Region
from simi.oversight.models import (
    Foreigner,
    Movement,
    PermitKind,
    PermitStatus,
    Sponsor,
    StayPermit,
    TravelDocument,
)
from simi.oversight.passports import PassportReading, read_passport_mrz
from simi.people.models import Person
from simi.people.services import PersonData, passport_index, person_create, person_update
from simi.screening.flows import request_screening as _request_screening

PERMIT_INDEX = "stay_permit"
_PERMIT_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9/.\-]{2,39}$")
_ADDRESS_MAX = 500


# --- Who may do what ---------------------------------------------------------


def can_read(actor: Any) -> bool:
    """Staff whose role reads the register (oversight officers, supervisors)."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_office_staff", False)
        and actor.can("oversight:read")
    )


def can_write(actor: Any) -> bool:
    return can_read(actor) and actor.can("oversight:write")


def require_read(actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not can_read(actor):
        raise PermissionDenied(code="oversight_only")


def require_write(actor: Any) -> None:
    require_read(actor)
    if not can_write(actor):
        raise PermissionDenied(code="oversight_write_only")


def _office_for(actor: Any, office: Office | None) -> Office:
    """The office a new record belongs to: the actor's own unless a system
    caller (actor None: demo, issuance) names one; staff stay in their scope."""
    if actor is None:
        if office is None:
            raise ValidationFailed.for_field("office", _("Choose an office."), code="office")
        return office
    require_write(actor)
    chosen = office or actor.office
    visible = visible_office_ids(actor)
    if chosen is None or (visible is not None and chosen.pk not in visible):
        raise PermissionDenied(code="office_out_of_scope")
    return chosen


def _in_scope(actor: Any, office_id: int) -> None:
    if actor is None:
        return
    require_write(actor)
    visible = visible_office_ids(actor)
    if visible is not None and office_id not in visible:
        raise NotFound()


# --- Cleaning ----------------------------------------------------------------


def _kecamatan(code: str | None, errors: dict[str, list[str | Promise]]) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code.strip(), level=Region.Level.DISTRICT).first()
    if region is None:
        errors.setdefault("kecamatan", []).append(_("Choose a kecamatan from the list."))
    return region


def _address(text: str | None, errors: dict[str, list[str | Promise]]) -> str | None:
    clean = " ".join((text or "").split()) or None
    if clean and len(clean) > _ADDRESS_MAX:
        errors.setdefault("address", []).append(_("The address is at most 500 characters."))
    return clean


def permit_number_index(kind: str, number: str) -> str:
    return blind_index(PERMIT_INDEX, f"{kind}:{number}")


def _permit_number(raw: str, errors: dict[str, list[str | Promise]]) -> str:
    number = "".join((raw or "").split()).upper()
    if not _PERMIT_NUMBER.match(number):
        errors.setdefault("number", []).append(
            _("A permit number has 3 to 40 letters, digits, '/', '.' or '-'.")
        )
    return number


def _raise(errors: dict[str, list[str | Promise]]) -> None:
    if errors:
        raise ValidationFailed(fields=errors)


# --- Foreigners and travel documents -----------------------------------------


def _document_taken(index: str) -> None:
    if TravelDocument.objects.filter(number_index=index).exists():
        message = _("This passport is already in the register.")
        raise Conflict(message, code="passport_registered", fields={"mrz": [message]})


def _person_for(actor: Any, reading: PassportReading, index: str, is_demo: bool) -> Person:
    """The identity record behind a passport: the existing one (an applicant
    who registered with it) or a new one, made by simi.core's services."""
    existing = Person.objects.filter(passport_index=index).first()
    if existing is not None:
        if Foreigner.objects.filter(person=existing).exists():
            message = _("This person is already in the register.")
            raise Conflict(message, code="foreigner_registered", fields={"mrz": [message]})
        return existing
    return person_create(
        actor=actor,
        data=PersonData(
            kind=Person.Kind.FOREIGNER,
            full_name=reading.full_name,
            nationality=reading.nationality,
            passport_number=reading.number,
            sex=reading.sex,
            birth_date=reading.birth_date,
        ),
        is_demo=is_demo,
    )


def _mrz_index(reading: PassportReading) -> str:
    try:
        return passport_index(reading.number, reading.nationality)
    except ValidationFailed as exc:
        messages = [m for msgs in exc.fields.values() for m in msgs] or [exc.message]
        raise ValidationFailed(messages[0], code=exc.code, fields={"mrz": messages}) from None


@transaction.atomic
def foreigner_register(
    *,
    actor: Any,
    mrz_text: str,
    kecamatan_code: str | None = None,
    address: str | None = None,
    office: Office | None = None,
    is_demo: bool = False,
) -> Foreigner:
    """Add a foreigner to the register from the two MRZ lines of their passport."""
    responsible = _office_for(actor, office)
    reading = read_passport_mrz(mrz_text)
    errors: dict[str, list[str | Promise]] = {}
    kecamatan = _kecamatan(kecamatan_code, errors)
    clean_address = _address(address, errors)
    _raise(errors)
    index = _mrz_index(reading)
    _document_taken(index)
    person = _person_for(actor, reading, index, is_demo)
    foreigner = Foreigner.objects.create(
        person=person,
        office=responsible,
        kecamatan=kecamatan,
        address=clean_address,
        is_demo=is_demo,
    )
    document = TravelDocument.objects.create(
        foreigner=foreigner,
        document_code=reading.document_code,
        number=reading.number,
        number_index=index,
        issuing_state=reading.issuing_state,
        expiry_date=reading.expiry_date,
    )
    audit_record(
        actor=actor,
        action="oversight.foreigner_registered",
        target=foreigner,
        data={
            "office": responsible.code,
            "nationality": person.nationality,
            "kecamatan": kecamatan.code if kecamatan else None,
            "travel_document": str(document.public_id),
        },
    )
    _request_screening(subject_type="foreigner", subject_id=foreigner.pk)
    return foreigner


@transaction.atomic
def foreigner_update(
    *, actor: Any, foreigner: Foreigner, kecamatan_code: str | None, address: str | None
) -> Foreigner:
    """Change the registered address in Lampung Barat."""
    _in_scope(actor, foreigner.office_id)
    errors: dict[str, list[str | Promise]] = {}
    kecamatan = _kecamatan(kecamatan_code, errors)
    clean_address = _address(address, errors)
    _raise(errors)
    changed = []
    if foreigner.kecamatan_id != (kecamatan.pk if kecamatan else None):
        foreigner.kecamatan = kecamatan
        changed.append("kecamatan")
    if foreigner.address != clean_address:
        foreigner.address = clean_address
        changed.append("address")
    if changed:
        foreigner.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action="oversight.foreigner_updated",
            target=foreigner,
            data={"fields": changed, "kecamatan": kecamatan.code if kecamatan else None},
        )
    return foreigner


@transaction.atomic
def travel_document_add(*, actor: Any, foreigner: Foreigner, mrz_text: str) -> TravelDocument:
    """A new passport of a registered foreigner; it becomes the current one."""
    _in_scope(actor, foreigner.office_id)
    reading = read_passport_mrz(mrz_text)
    person = foreigner.person
    if reading.nationality != person.nationality:
        message = _("The nationality in this MRZ is not the foreigner's nationality.")
        raise ValidationFailed(message, code="mrz_other_nationality", fields={"mrz": [message]})
    index = _mrz_index(reading)
    _document_taken(index)
    document = TravelDocument.objects.create(
        foreigner=foreigner,
        document_code=reading.document_code,
        number=reading.number,
        number_index=index,
        issuing_state=reading.issuing_state,
        expiry_date=reading.expiry_date,
    )
    person_update(
        actor=actor,
        person=person,
        data=PersonData(
            kind=person.kind,
            full_name=person.full_name or reading.full_name,
            nationality=person.nationality,
            passport_number=reading.number,
            sex=person.sex,
            birth_date=person.birth_date,
            address=person.address,
            region_code=person.region.code if person.region else None,
            phone=person.phone,
        ),
    )
    audit_record(
        actor=actor,
        action="oversight.travel_document_added",
        target=document,
        data={"foreigner": str(foreigner.public_id), "issuing_state": document.issuing_state},
    )
    return document


# --- Sponsors ----------------------------------------------------------------


@transaction.atomic
def sponsor_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    contact: str | None = None,
    office: Office | None = None,
    account: Any = None,
    is_demo: bool = False,
) -> Sponsor:
    """A company or person who guarantees foreigners' stays."""
    responsible = _office_for(actor, office)
    errors: dict[str, list[str | Promise]] = {}
    if kind not in Sponsor.Kind.values:
        errors.setdefault("kind", []).append(_("Choose company or person."))
    clean_name = " ".join((name or "").split())
    if not clean_name or len(clean_name) > 200:
        errors.setdefault("name", []).append(_("Enter a name of 1 to 200 characters."))
    clean_contact = " ".join((contact or "").split()) or None
    if clean_contact and len(clean_contact) > 200:
        errors.setdefault("contact", []).append(_("The contact is at most 200 characters."))
    _raise(errors)
    sponsor = Sponsor.objects.create(
        office=responsible,
        kind=kind,
        name=clean_name,
        contact=clean_contact,
        account=account,
        is_demo=is_demo,
    )
    audit_record(
        actor=actor, action="oversight.sponsor_created", target=sponsor, data={"kind": kind}
    )
    return sponsor


# --- Stay permits ------------------------------------------------------------


def _permit_fields(
    kind: str, number: str, valid_from: date | None, valid_until: date | None
) -> str:
    errors: dict[str, list[str | Promise]] = {}
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
    _raise(errors)
    if StayPermit.objects.filter(kind=kind, number_index=permit_number_index(kind, clean)).exists():
        message = _("A permit of this kind with this number is already registered.")
        raise Conflict(message, code="permit_number_taken", fields={"number": [message]})
    return clean


def _status_on(valid_until: date) -> str:
    return PermitStatus.EXPIRED if valid_until < timezone.localdate() else PermitStatus.ACTIVE


@transaction.atomic
def permit_create(
    *,
    actor: Any,
    foreigner: Foreigner,
    kind: str,
    number: str,
    valid_from: date | None,
    valid_until: date | None,
    sponsor: Sponsor | None = None,
    office: Office | None = None,
) -> StayPermit:
    """Record a stay permit (one issued elsewhere, or on paper)."""
    _in_scope(actor, foreigner.office_id)
    issuing = office or foreigner.office
    clean = _permit_fields(kind, number, valid_from, valid_until)
    assert valid_from is not None
    assert valid_until is not None
    if sponsor is not None:
        _in_scope(actor, sponsor.office_id)
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
        action="oversight.permit_recorded",
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
def permit_cancel(*, actor: Any, permit: StayPermit) -> StayPermit:
    """Cancel a permit (e.g. the holder left for good); a second call changes nothing."""
    _in_scope(actor, permit.foreigner.office_id)
    locked = StayPermit.objects.select_for_update().get(pk=permit.pk)
    if locked.status == PermitStatus.CANCELLED:
        return locked
    status_from = locked.status
    locked.status = PermitStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(
        actor=actor,
        action="oversight.permit_cancelled",
        target=locked,
        data={"from": status_from},
    )
    return locked


@transaction.atomic
def permit_register_from_issuance(
    *,
    actor: Any,
    holder: Person,
    kind: str,
    number: str,
    valid_from: date,
    valid_until: date,
    office: Office,
    issued_document_id: uuid.UUID,
    sponsor: Sponsor | None = None,
) -> StayPermit:
    """Attach a permit SIMI has just issued to the register.

    Called by the services workflow when an ITAS/ITK/... application is
    issued, inside its transaction. ``holder`` is the applicant's Person (a
    foreigner); a Foreigner record is made for them when there is none yet
    (responsible office: ``office``), with their passport as travel document.
    Idempotent: a second call with the same ``issued_document_id`` returns
    the permit made by the first.
    """
    existing = StayPermit.objects.filter(issued_document_id=issued_document_id).first()
    if existing is not None:
        return existing
    if holder.kind != Person.Kind.FOREIGNER:
        raise ValidationFailed.for_field(
            "holder", _("A stay permit is for a foreigner."), code="holder_not_foreigner"
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
            action="oversight.foreigner_registered",
            target=foreigner,
            data={"office": office.code, "nationality": holder.nationality, "source": "issuance"},
        )
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
    )
    audit_record(
        actor=actor,
        action="oversight.permit_recorded",
        target=permit,
        data={
            "foreigner": str(foreigner.public_id),
            "kind": kind,
            "valid_until": valid_until.isoformat(),
            "issued_document": str(issued_document_id),
        },
    )
    _request_screening(subject_type="stay_permit", subject_id=permit.pk)
    return permit


# --- Entries and exits -------------------------------------------------------


@transaction.atomic
def movement_record(
    *, actor: Any, foreigner: Foreigner, direction: str, on: date | None, port: str
) -> Movement:
    """An entry or exit as the border record shows it; the same one twice is one."""
    _in_scope(actor, foreigner.office_id)
    errors: dict[str, list[str | Promise]] = {}
    if direction not in Movement.Direction.values:
        errors.setdefault("direction", []).append(_("Choose entry or exit."))
    if on is None:
        errors.setdefault("date", []).append(_("Enter the date."))
    elif on > timezone.localdate():
        errors.setdefault("date", []).append(_("The date cannot be in the future."))
    clean_port = " ".join((port or "").split())
    if not clean_port or len(clean_port) > 100:
        errors.setdefault("port", []).append(_("Enter the port of 1 to 100 characters."))
    _raise(errors)
    assert on is not None
    movement, created = Movement.objects.get_or_create(
        foreigner=foreigner, direction=direction, date=on, port=clean_port
    )
    if created:
        audit_record(
            actor=actor,
            action="oversight.movement_recorded",
            target=movement,
            data={"foreigner": str(foreigner.public_id), "direction": direction},
        )
    return movement
