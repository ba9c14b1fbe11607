"""Reads of sightings, already scoped to the offices the caller sees; opening
one (its note, the person seen) or its photo is audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db.models import QuerySet

from simi.accounts.actors import Actor
from simi.accounts.scoping import scope_by_office
from simi.audit.services import audit_record
from simi.core.crypto import decrypt_bytes
from simi.core.errors import NotFound
from simi.oversight.access import can_read
from simi.oversight.codes import Action
from simi.oversight.models import Sighting
from simi.oversight.sightings.services import photo_context


@dataclass(frozen=True)
class SightingFilters:
    kecamatan: str = ""
    subject: str = ""
    seal_verdict: str = ""
    address_mismatch: bool | None = None


def sightings_visible(*, actor: Actor) -> QuerySet[Sighting]:
    if not actor.is_authenticated or not can_read(actor):
        return Sighting.objects.none()
    return scope_by_office(Sighting.objects.all(), actor).select_related(
        "kecamatan", "foreigner", "foreigner__person", "foreigner__kecamatan", "violation"
    )


def sighting_list(*, actor: Actor, filters: SightingFilters | None = None) -> QuerySet[Sighting]:
    filters = filters or SightingFilters()
    found = sightings_visible(actor=actor)
    if filters.kecamatan:
        found = found.filter(kecamatan__code=filters.kecamatan)
    if filters.subject:
        found = found.filter(subject=filters.subject)
    if filters.seal_verdict:
        found = found.filter(seal_verdict=filters.seal_verdict)
    if filters.address_mismatch is not None:
        found = found.filter(address_mismatch=filters.address_mismatch)
    return found.order_by("-seen_at", "-id")


def sighting_get(*, actor: Actor, public_id: uuid.UUID) -> Sighting:
    found = sightings_visible(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    return found


def sighting_open(*, actor: Actor, public_id: uuid.UUID) -> Sighting:
    """One sighting with its note and the person seen: the read is audited."""
    sighting = sighting_get(actor=actor, public_id=public_id)
    audit_record(
        actor=actor,
        action=Action.SIGHTING_VIEWED,
        target=sighting,
        data={"sighting": str(sighting.public_id)},
        purpose="oversight",
    )
    return sighting


def sighting_photo(*, actor: Actor, sighting: Sighting) -> tuple[bytes, str]:
    """The decrypted photo and its type; the read is audited."""
    sighting = sighting_get(actor=actor, public_id=sighting.public_id)
    if not sighting.photo_name:
        raise NotFound()
    with default_storage.open(sighting.photo_name, "rb") as handle:
        content = decrypt_bytes(handle.read(), context=photo_context(sighting))
    audit_record(
        actor=actor,
        action=Action.SIGHTING_PHOTO_VIEWED,
        target=sighting,
        data={"sighting": str(sighting.public_id)},
        purpose="oversight",
    )
    return content, sighting.photo_type
