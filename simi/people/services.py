"""Writes of people's identity records, audited; the numbers are validated
by ``simi.core.identity`` and found again by their blind indexes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.audit.services import audit_record
from simi.core.actors import Someone
from simi.core.crypto import blind_index
from simi.core.errors import Conflict, ValidationFailed
from simi.core.identity import parse_nik, parse_passport_number
from simi.core.models import Region
from simi.people.codes import Action, Code
from simi.people.models import Person

NIK_INDEX = "nik"
PASSPORT_INDEX = "passport"

# The two kinds of identity number: (field with the value, field with its index).
NUMBER_FIELDS = {"nik": ("nik", "nik_index"), "passport": ("passport_number", "passport_index")}
# A record's number that says who it is: losing it, the record no longer names its person.
PRIMARY_NUMBER: dict[str, str] = {Person.Kind.CITIZEN: "nik", Person.Kind.FOREIGNER: "passport"}


def nik_index(nik: str) -> str:
    return blind_index(NIK_INDEX, parse_nik(nik).value)


def passport_index(number: str, nationality: str) -> str:
    passport = parse_passport_number(number, nationality=nationality)
    return blind_index(PASSPORT_INDEX, f"{passport.nationality}:{passport.value}")


@dataclass(frozen=True)
class PersonData:
    """What a person's identity record says, as entered (not yet validated)."""

    kind: str
    full_name: str
    nationality: str = "IDN"
    nik: str | None = None
    passport_number: str | None = None
    sex: str = Person.Sex.UNSPECIFIED
    birth_date: date | None = None
    address: str | None = None
    region_code: str | None = None
    phone: str | None = None


def _clean(data: PersonData) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}

    def fail(field: str, message: Any) -> None:
        errors.setdefault(field, []).append(message)

    if data.kind not in Person.Kind.values:
        fail("kind", _("Choose Indonesian citizen or foreigner."))
    name = " ".join((data.full_name or "").split())
    if not name:
        fail("full_name", _("Full name is required."))
    elif len(name) > 150:
        fail("full_name", _("Full name is at most 150 characters."))
    clean: dict[str, Any] = {"kind": data.kind, "full_name": name, "nik": None, "nik_index": None}
    clean.update(
        passport_number=None, passport_index=None, sex=data.sex, birth_date=data.birth_date
    )
    nationality = (data.nationality or "").strip().upper()
    if data.kind == Person.Kind.CITIZEN:
        nationality = "IDN"
        try:
            nik = parse_nik(data.nik or "")
        except ValidationFailed as exc:
            for message in exc.fields.get("nik", [exc.message]):
                fail("nik", message)
        else:
            clean.update(nik=nik.value, nik_index=blind_index(NIK_INDEX, nik.value), sex=nik.sex)
            if data.birth_date and data.birth_date != nik.birth_date:
                fail("birth_date", _("The birth date does not match the one inside the NIK."))
            clean["birth_date"] = nik.birth_date
    if data.passport_number or data.kind == Person.Kind.FOREIGNER:
        try:
            passport = parse_passport_number(data.passport_number or "", nationality=nationality)
        except ValidationFailed as exc:
            for field, messages in exc.fields.items():
                for message in messages:
                    fail(field, message)
        else:
            clean.update(
                passport_number=passport.value,
                passport_index=blind_index(
                    PASSPORT_INDEX, f"{passport.nationality}:{passport.value}"
                ),
            )
    if data.sex not in Person.Sex.values:
        fail("sex", _("Choose a valid value."))
    if data.birth_date and data.birth_date > timezone.localdate():
        fail("birth_date", _("The birth date cannot be in the future."))
    address = (data.address or "").strip() or None
    if address and len(address) > 500:
        fail("address", _("The address is at most 500 characters."))
    phone = "".join(ch for ch in (data.phone or "") if ch.isdigit() or ch == "+") or None
    if phone and not 8 <= len(phone.lstrip("+")) <= 15:
        fail("phone", _("Enter a phone number of 8 to 15 digits."))
    region = None
    if data.region_code:
        region = Region.objects.filter(code=data.region_code).first()
        if region is None:
            fail("region_code", _("Unknown region code."))
    if errors:
        raise ValidationFailed(fields=errors)
    clean.update(nationality=nationality, address=address, phone=phone, region=region)
    return clean


@dataclass(frozen=True)
class Number:
    """An identity number as validated: its kind ("nik" or "passport"), the
    normalized value and its blind index."""

    kind: str
    value: str
    index: str


@dataclass(frozen=True)
class CheckedPerson:
    """``PersonData`` validated and normalized: the values a record would hold."""

    values: dict[str, Any]

    @property
    def numbers(self) -> list[Number]:
        found = []
        for kind, (value_field, index_field) in NUMBER_FIELDS.items():
            if self.values[index_field]:
                found.append(Number(kind, self.values[value_field], self.values[index_field]))
        return found


def person_check(data: PersonData) -> CheckedPerson:
    """Validate what a person's record would say (``ValidationFailed`` field by
    field), without looking at other records."""
    return CheckedPerson(_clean(data))


def number_holder(number: Number, *, excluding: Person | None = None) -> Person | None:
    """The record that holds ``number`` (its index), other than ``excluding``."""
    index_field = NUMBER_FIELDS[number.kind][1]
    others = Person.objects.all()
    if excluding is not None:
        others = others.exclude(pk=excluding.pk)
    return others.filter(**{index_field: number.index}).first()


def holds_number(person: Person, kind: str) -> bool:
    """Whether ``person`` holds a number of ``kind`` with its index (confirmed)."""
    return bool(getattr(person, NUMBER_FIELDS[kind][1]))


def _ensure_unique(clean: dict[str, Any], *, exclude_pk: int | None = None) -> None:
    others = Person.objects.exclude(pk=exclude_pk) if exclude_pk else Person.objects.all()
    if clean["nik_index"] and others.filter(nik_index=clean["nik_index"]).exists():
        raise Conflict(
            _("A person with this NIK is already registered."),
            code=Code.NIK_TAKEN,
            fields={"nik": [_("A person with this NIK is already registered.")]},
        )
    if clean["passport_index"] and others.filter(passport_index=clean["passport_index"]).exists():
        raise Conflict(
            _("A person with this passport is already registered."),
            code=Code.PASSPORT_TAKEN,
            fields={"passport_number": [_("A person with this passport is already registered.")]},
        )


@transaction.atomic
def person_create(*, actor: Someone | None, data: PersonData, is_demo: bool = False) -> Person:
    clean = _clean(data)
    _ensure_unique(clean)
    person = Person(**clean, is_demo=is_demo)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # a concurrent registration of the same number
        _ensure_unique(clean)
        raise
    audit_record(
        actor=actor, action=Action.PERSON_CREATED, target=person, data={"kind": person.kind}
    )
    return person


@transaction.atomic
def person_update(*, actor: Someone | None, person: Person, data: PersonData) -> Person:
    clean = _clean(data)
    _ensure_unique(clean, exclude_pk=person.pk)
    changed = [name for name, value in clean.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, clean[name])
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
        # Field names only: the audit log never repeats the personal data itself.
        audit_record(
            actor=actor,
            action=Action.PERSON_UPDATED,
            target=person,
            data={"fields": sorted(changed)},
        )
    return person


@transaction.atomic
def person_delete(*, actor: Someone | None, person: Person) -> None:
    """Destroy an identity record (erasure under UU PDP); the audit keeps its id only."""
    audit_record(
        actor=actor, action=Action.PERSON_DELETED, target=person, data={"kind": person.kind}
    )
    person.delete()


@transaction.atomic
def person_record(
    *,
    actor: Someone | None,
    person: Person | None,
    checked: CheckedPerson,
    withheld: frozenset[str] = frozenset(),
    is_demo: bool = False,
) -> Person:
    """Create ``person`` (when None) or update it with ``checked``, leaving the
    numbers of the kinds in ``withheld`` out of the index: another record holds
    them and an officer checks whose they are.

    A withheld number never replaces a number the record holds with its index
    (the record keeps it, and the birth date and sex a NIK carries); on a
    record without one it is stored without its index. Either way the record
    is written and audited once, whether a number was withheld or not, so
    neither the work done nor its time says which. Uniqueness is the
    database's: a number taken meanwhile raises ``IntegrityError`` for the
    caller to withhold it and try again.
    """
    values = dict(checked.values)
    for kind in withheld:
        value_field, index_field = NUMBER_FIELDS[kind]
        if person is not None and holds_number(person, kind):
            kept = [value_field, index_field]
            kept += ["birth_date", "sex"] if kind == "nik" else ["nationality"]
            values.update({name: getattr(person, name) for name in kept})
        else:
            values[index_field] = None
    if person is None:
        person = Person(**values, is_demo=is_demo)
        person.save()
        audit_record(
            actor=actor, action=Action.PERSON_CREATED, target=person, data={"kind": person.kind}
        )
        return person
    changed = [name for name, value in values.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, values[name])
    person.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor, action=Action.PERSON_UPDATED, target=person, data={"fields": sorted(changed)}
    )
    return person


@transaction.atomic
def person_number_move(
    *, actor: Someone | None, number: Number, source: Person | None, target: Person
) -> Person:
    """Give ``number`` to ``target`` after its owner was confirmed: ``source``
    (the record that held it, if any) keeps the value for its history but
    loses the index, so look-ups find ``target`` alone. A NIK brings the birth
    date and sex it encodes."""
    value_field, index_field = NUMBER_FIELDS[number.kind]
    if source is not None and getattr(source, index_field) == number.index:
        setattr(source, index_field, None)
        source.save(update_fields=[index_field, "updated_at"])
        audit_record(
            actor=actor,
            action=Action.PERSON_NUMBER_WITHDRAWN,
            target=source,
            data={"number": number.kind, "to": str(target.public_id)},
        )
    fields: dict[str, Any] = {value_field: number.value, index_field: number.index}
    if number.kind == "nik":
        nik = parse_nik(number.value)
        fields.update(birth_date=nik.birth_date, sex=nik.sex)
    for name, value in fields.items():
        setattr(target, name, value)
    target.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action=Action.PERSON_NUMBER_CONFIRMED,
        target=target,
        data={"number": number.kind, "from": str(source.public_id) if source else None},
    )
    return target
