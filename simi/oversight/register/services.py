"""Every write on the register of foreigners except stay permits:
foreigners from a pasted passport MRZ, travel documents, sponsors, entries
and exits.

Keyword-only, atomic, audited with ids and codes only. Staff write only in
the offices they see; someone else's record answers NotFound (``access.py``).
Stay permits are in ``permits.py``, the detection jobs in ``detection.py``.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.accounts.models import User
from simi.audit.services import audit_record
from simi.core.errors import Conflict, ValidationFailed
from simi.core.models import Office, Region
from simi.oversight.access import office_for_write, require_write_in
from simi.oversight.codes import Action, Code
from simi.oversight.models import Foreigner, Movement, Sponsor, TravelDocument
from simi.oversight.register.passports import PassportReading, read_passport_mrz
from simi.people.models import Person
from simi.people.services import PersonData, passport_index, person_create, person_update
from simi.screening.flows import request_screening as _request_screening

_ADDRESS_MAX = 500
Errors = dict[str, list[str | Promise]]


# --- Cleaning ----------------------------------------------------------------


def _kecamatan(code: str | None, errors: Errors) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code.strip(), level=Region.Level.DISTRICT).first()
    if region is None:
        errors.setdefault("kecamatan", []).append(_("Choose a kecamatan from the list."))
    return region


def _address(text: str | None, errors: Errors) -> str | None:
    clean = " ".join((text or "").split()) or None
    if clean and len(clean) > _ADDRESS_MAX:
        errors.setdefault("address", []).append(_("The address is at most 500 characters."))
    return clean


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationFailed(fields=errors)


# --- Foreigners and travel documents -----------------------------------------


def _document_taken(index: str) -> None:
    if TravelDocument.objects.filter(number_index=index).exists():
        message = _("This passport is already in the register.")
        raise Conflict(message, code=Code.PASSPORT_REGISTERED, fields={"mrz": [message]})


def _person_for(actor: Actor | None, reading: PassportReading, index: str, is_demo: bool) -> Person:
    """The identity record behind a passport: the existing one (an applicant
    who registered with it) or a new one, made by simi.core's services."""
    existing = Person.objects.filter(passport_index=index).first()
    if existing is not None:
        if Foreigner.objects.filter(person=existing).exists():
            message = _("This person is already in the register.")
            raise Conflict(message, code=Code.FOREIGNER_REGISTERED, fields={"mrz": [message]})
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
    actor: Actor | None,
    mrz_text: str,
    kecamatan_code: str | None = None,
    address: str | None = None,
    office: Office | None = None,
    is_demo: bool = False,
) -> Foreigner:
    """Add a foreigner to the register from the two MRZ lines of their passport."""
    responsible = office_for_write(actor, office)
    reading = read_passport_mrz(mrz_text)
    errors: Errors = {}
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
        action=Action.FOREIGNER_REGISTERED,
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
    *, actor: Actor | None, foreigner: Foreigner, kecamatan_code: str | None, address: str | None
) -> Foreigner:
    """Change the registered address in Lampung Barat."""
    require_write_in(actor, foreigner.office_id)
    errors: Errors = {}
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
            action=Action.FOREIGNER_UPDATED,
            target=foreigner,
            data={"fields": changed, "kecamatan": kecamatan.code if kecamatan else None},
        )
    return foreigner


@transaction.atomic
def travel_document_add(
    *, actor: Actor | None, foreigner: Foreigner, mrz_text: str
) -> TravelDocument:
    """A new passport of a registered foreigner; it becomes the current one."""
    require_write_in(actor, foreigner.office_id)
    reading = read_passport_mrz(mrz_text)
    person = foreigner.person
    if reading.nationality != person.nationality:
        message = _("The nationality in this MRZ is not the foreigner's nationality.")
        raise ValidationFailed(message, code=Code.MRZ_OTHER_NATIONALITY, fields={"mrz": [message]})
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
        action=Action.TRAVEL_DOCUMENT_ADDED,
        target=document,
        data={"foreigner": str(foreigner.public_id), "issuing_state": document.issuing_state},
    )
    return document


# --- Sponsors ----------------------------------------------------------------


@transaction.atomic
def sponsor_create(
    *,
    actor: Actor | None,
    kind: str,
    name: str,
    contact: str | None = None,
    office: Office | None = None,
    account: User | None = None,
    is_demo: bool = False,
) -> Sponsor:
    """A company or person who guarantees foreigners' stays."""
    responsible = office_for_write(actor, office)
    errors: Errors = {}
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
    audit_record(actor=actor, action=Action.SPONSOR_CREATED, target=sponsor, data={"kind": kind})
    return sponsor


# --- Entries and exits -------------------------------------------------------


@transaction.atomic
def movement_record(
    *, actor: Actor | None, foreigner: Foreigner, direction: str, on: date | None, port: str
) -> Movement:
    """An entry or exit as the border record shows it; the same one twice is one."""
    require_write_in(actor, foreigner.office_id)
    errors: Errors = {}
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
            action=Action.MOVEMENT_RECORDED,
            target=movement,
            data={"foreigner": str(foreigner.public_id), "direction": direction},
        )
    return movement
