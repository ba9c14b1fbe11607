"""Sightings: field reports by patrols and Timpora members.

Where (a kecamatan of Lampung Barat, optional GPS inside the regency's box),
when, who was seen (a register foreigner, a passport number matched by blind
index, or a permit QR seal verified on the spot), an optional photo (JPEG or
PNG, checked by content, stored encrypted) and a note (encrypted).

A known foreigner seen in another kecamatan than the registered one is
flagged ``address_mismatch`` and gets one violation of that kind (at most
one per sighting, whatever runs twice). Staff with ``oversight:write``
record sightings for their office; ``oversight:read`` sees the office's
(``selectors.py``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.accounts.models import User
from simi.accounts.scoping import scope_by_office
from simi.audit.services import audit_record
from simi.core.codes import CommonCode
from simi.core.crypto import encrypt_bytes
from simi.core.errors import PermissionDenied, ValidationFailed
from simi.core.models import Region
from simi.core.uploads import PDF, check_upload
from simi.oversight.access import require_write
from simi.oversight.codes import Action
from simi.oversight.models import (
    Foreigner,
    Sighting,
    StayPermit,
    TravelDocument,
    Violation,
    ViolationKind,
)
from simi.oversight.seals import verify_seal
from simi.people.services import passport_index

REGENCY_PREFIX = "18.04."  # Kabupaten Lampung Barat
# A box around Lampung Barat (its kecamatan lie within -5.33..-4.89,
# 103.83..104.57) with a margin for the border areas.
LATITUDE_RANGE = (Decimal("-5.50"), Decimal("-4.70"))
LONGITUDE_RANGE = (Decimal("103.70"), Decimal("104.70"))
MAX_NOTE = 2000
MAX_SEAL = 2000
MAX_AGE = timedelta(days=30)
FUTURE_TOLERANCE = timedelta(minutes=10)
Errors = dict[str, list[str | Promise]]


@dataclass(frozen=True)
class SightingData:
    """What the patrol entered, not yet checked. Exactly one of
    ``foreigner_id``, ``passport_number`` (with ``nationality``) or ``seal``."""

    kecamatan_code: str
    seen_at: datetime | None = None
    latitude: Decimal | float | str | None = None
    longitude: Decimal | float | str | None = None
    note: str = ""
    foreigner_id: uuid.UUID | str | None = None
    passport_number: str = ""
    nationality: str = ""
    seal: str = ""
    photo: bytes | None = None


def _add(errors: Errors, field: str, message: str | Promise) -> None:
    errors.setdefault(field, []).append(message)


def _kecamatan(code: str, errors: Errors) -> Region | None:
    code = (code or "").strip()
    region = (
        Region.objects.filter(code=code, level=Region.Level.DISTRICT).first()
        if code.startswith(REGENCY_PREFIX)
        else None
    )
    if region is None:
        _add(errors, "kecamatan", _("Choose a kecamatan of Lampung Barat from the list."))
    return region


def _coordinate(raw: Any) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValueError from None
    if not value.is_finite():
        raise ValueError
    return value.quantize(Decimal("0.000001"))


def _gps(data: SightingData, errors: Errors) -> tuple[Decimal | None, Decimal | None]:
    try:
        lat, lon = _coordinate(data.latitude), _coordinate(data.longitude)
    except ValueError:
        _add(errors, "latitude", _("Enter the position as decimal degrees, e.g. -5.0235."))
        return None, None
    if (lat is None) != (lon is None):
        field = "longitude" if lon is None else "latitude"
        _add(errors, field, _("Give both latitude and longitude, or neither."))
        return None, None
    if lat is None or lon is None:
        return None, None
    outside = False
    if not LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1]:
        _add(
            errors,
            "latitude",
            _("The latitude is outside Lampung Barat (between -5.50 and -4.70)."),
        )
        outside = True
    if not LONGITUDE_RANGE[0] <= lon <= LONGITUDE_RANGE[1]:
        _add(
            errors,
            "longitude",
            _("The longitude is outside Lampung Barat (between 103.70 and 104.70)."),
        )
        outside = True
    return (None, None) if outside else (lat, lon)


def _seen_at(raw: datetime | None, now: datetime, errors: Errors) -> datetime:
    moment = raw or now
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now + FUTURE_TOLERANCE:
        _add(errors, "seen_at", _("The time is in the future."))
    elif moment < now - MAX_AGE:
        _add(errors, "seen_at", _("Report sightings within 30 days."))
    return moment


def _photo(raw: bytes | None, errors: Errors) -> Any:
    if not raw:
        return None
    try:
        checked = check_upload(raw)
    except ValidationFailed as exc:
        for message in exc.fields.get("file", [exc.message]):
            _add(errors, "photo", message)
        return None
    if checked.content_type == PDF:
        _add(errors, "photo", _("The photo must be a JPEG or PNG picture."))
        return None
    return checked


@dataclass
class _Subject:
    kind: str
    foreigner: Foreigner | None = None
    passport_number: str = ""
    nationality: str = ""
    passport_index: str = ""
    seal_verdict: str = ""
    seal_reason: str = ""
    document_id: uuid.UUID | None = None


def _visible_foreigners(officer: User) -> QuerySet[Foreigner]:
    return scope_by_office(Foreigner.objects.all(), officer).select_related("kecamatan", "office")


def _by_foreigner_id(officer: User, raw: uuid.UUID | str, errors: Errors) -> _Subject | None:
    try:
        public_id = uuid.UUID(str(raw))
    except ValueError:
        public_id = None
    found = _visible_foreigners(officer).filter(public_id=public_id).first() if public_id else None
    if found is None:
        _add(errors, "foreigner", _("This foreigner is not in your office's register."))
        return None
    return _Subject(Sighting.Subject.FOREIGNER, foreigner=found)


def _by_passport(officer: User, data: SightingData, errors: Errors) -> _Subject | None:
    try:
        index = passport_index(data.passport_number, data.nationality)
    except ValidationFailed as exc:
        for field, messages in exc.fields.items():
            errors.setdefault(field, []).extend(messages)
        return None
    document = (
        TravelDocument.objects.filter(
            number_index=index, foreigner__in=_visible_foreigners(officer)
        )
        .select_related("foreigner__kecamatan", "foreigner__office")
        .first()
    )
    return _Subject(
        Sighting.Subject.PASSPORT,
        foreigner=document.foreigner if document else None,
        passport_number=" ".join(data.passport_number.split()).upper(),
        nationality=data.nationality.strip().upper(),
        passport_index=index,
    )


def _by_seal(officer: User, text: str, errors: Errors) -> _Subject | None:
    if len(text) > MAX_SEAL:
        _add(errors, "seal", _("This is not the text of a permit QR code."))
        return None
    verdict, document_id, reason = verify_seal(text)
    permit = (
        StayPermit.objects.filter(
            issued_document_id=document_id, foreigner__in=_visible_foreigners(officer)
        )
        .select_related("foreigner__kecamatan", "foreigner__office")
        .first()
        if document_id
        else None
    )
    return _Subject(
        Sighting.Subject.SEAL,
        foreigner=permit.foreigner if permit else None,
        seal_verdict=verdict,
        seal_reason=reason,
        document_id=document_id,
    )


def _subject(officer: User, data: SightingData, errors: Errors) -> _Subject | None:
    given = [
        name
        for name, value in (
            ("foreigner", data.foreigner_id),
            ("passport_number", (data.passport_number or "").strip()),
            ("seal", (data.seal or "").strip()),
        )
        if value
    ]
    if len(given) != 1:
        # about the three fields together, so not one field's error
        _add(
            errors,
            "__all__",
            _(
                "Say who was seen: choose a foreigner from the register, or enter a passport "
                "number, or scan the permit's QR code (one of the three)."
            ),
        )
        return None
    if given[0] == "foreigner":
        assert data.foreigner_id is not None
        return _by_foreigner_id(officer, data.foreigner_id, errors)
    if given[0] == "passport_number":
        return _by_passport(officer, data, errors)
    return _by_seal(officer, data.seal.strip(), errors)


def photo_context(sighting: Sighting) -> str:
    return f"oversight.sighting_photo:{sighting.public_id}"


@transaction.atomic
def sighting_record(*, actor: Actor, data: SightingData) -> Sighting:
    """Check everything, then store the sighting (and its photo, encrypted)
    and, when the foreigner is seen away from the registered kecamatan, the
    ``address_mismatch`` violation, all or nothing."""
    officer = require_write(actor)
    if officer.office_id is None:
        raise PermissionDenied(code=CommonCode.OFFICE_REQUIRED)
    now = timezone.now()
    errors: Errors = {}
    kecamatan = _kecamatan(data.kecamatan_code, errors)
    latitude, longitude = _gps(data, errors)
    seen_at = _seen_at(data.seen_at, now, errors)
    note = (data.note or "").strip()
    if len(note) > MAX_NOTE:
        _add(errors, "note", _("The note is at most 2000 characters."))
    subject = _subject(officer, data, errors)
    photo = _photo(data.photo, errors)
    if errors or kecamatan is None or subject is None:
        raise ValidationFailed(fields=errors)
    foreigner = subject.foreigner
    mismatch = bool(
        foreigner is not None
        and foreigner.kecamatan_id is not None
        and foreigner.kecamatan_id != kecamatan.pk
    )
    sighting = Sighting(
        office_id=officer.office_id,
        reported_by=officer,
        seen_at=seen_at,
        kecamatan=kecamatan,
        latitude=latitude,
        longitude=longitude,
        note=note or None,
        subject=subject.kind,
        foreigner=foreigner,
        passport_number=subject.passport_number or None,
        passport_nationality=subject.nationality,
        passport_index=subject.passport_index,
        seal_verdict=subject.seal_verdict,
        seal_reason=subject.seal_reason,
        document_id=subject.document_id,
        address_mismatch=mismatch,
    )
    stored = ""
    if photo is not None:
        stored = default_storage.save(
            f"oversight/sightings/{sighting.public_id}.bin",
            ContentFile(encrypt_bytes(photo.content, context=photo_context(sighting))),
        )
        sighting.photo_name, sighting.photo_type = stored, photo.content_type
        sighting.photo_sha256 = photo.sha256
    try:
        sighting.save(force_insert=True)
        audit_record(
            actor=actor,
            action=Action.SIGHTING_RECORDED,
            target=sighting,
            data={
                "subject": sighting.subject,
                "kecamatan": kecamatan.code,
                "foreigner": str(foreigner.public_id) if foreigner else None,
                "seal_verdict": sighting.seal_verdict or None,
                "document": str(sighting.document_id) if sighting.document_id else None,
                "address_mismatch": mismatch,
                "photo": bool(stored),
            },
        )
        address_mismatch_ensure(sighting)
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    return sighting


def address_mismatch_ensure(sighting: Sighting) -> Violation | None:
    """The sighting's ``address_mismatch`` violation, made once (idempotent)."""
    with transaction.atomic():
        locked = (
            Sighting.objects.select_for_update(of=("self",), no_key=True)
            .select_related("foreigner")
            .filter(pk=sighting.pk)
            .first()
        )
        if locked is None or not locked.address_mismatch or locked.foreigner is None:
            return None
        if locked.violation_id is not None:
            return locked.violation
        day = timezone.localtime(locked.seen_at).date()
        violation = Violation.objects.create(
            kind=ViolationKind.ADDRESS_MISMATCH,
            foreigner=locked.foreigner,
            office=locked.foreigner.office,
            detected_on=day,
            evaluated_on=timezone.localdate(),
        )
        locked.violation = violation
        locked.save(update_fields=["violation", "updated_at"])
        sighting.violation = violation
        audit_record(
            actor=None,
            action=Action.VIOLATION_DETECTED,
            target=violation,
            data={"kind": violation.kind, "sighting": str(locked.public_id)},
        )
        return violation
