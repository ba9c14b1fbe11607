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
