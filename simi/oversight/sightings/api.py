"""The /api/v1 operations of sightings, for staff: recorded with
``oversight:write``, read with ``oversight:read`` (scoped to their office).

Operation ids are the ones the API had before oversight was split into
sub-packages; clients generated from docs/openapi.json keep working."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import File, Form
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.core.idempotency import idempotent
from simi.core.paging import Paged, paged
from simi.core.routing import ScopedRouter
from simi.core.uploads import read_limited
from simi.oversight.access import require_read, require_write
from simi.oversight.models import Sighting
from simi.oversight.sightings import selectors
from simi.oversight.sightings.schemas import SightingIn, SightingOut
from simi.oversight.sightings.services import SightingData, sighting_record

router = ScopedRouter(tags=["oversight"])


def sighting_out(s: Sighting, *, with_note: bool = False) -> SightingOut:
    return SightingOut(
        id=s.public_id,
        seen_at=s.seen_at,
        kecamatan=s.kecamatan.code,
        kecamatan_name=s.kecamatan.name,
        latitude=s.latitude,
        longitude=s.longitude,
        subject=s.subject,
        foreigner=s.foreigner.public_id if s.foreigner else None,
        seal_verdict=s.seal_verdict or None,
        seal_reason=s.seal_reason or None,
        document=s.document_id,
        address_mismatch=s.address_mismatch,
        violation=s.violation.public_id if s.violation else None,
        has_photo=bool(s.photo_name),
        note=s.note if with_note else None,
    )


_OPTIONAL_PHOTO = File(None)


@router.post(
    "/oversight/sightings",
    scope="oversight:write",
    response={201: SightingOut},
    summary="Record a sighting (staff)",
    operation_id="simi_oversight_device_api_sighting_create",
)
def sighting_create(
    request: HttpRequest, payload: Form[SightingIn], photo: UploadedFile | None = _OPTIONAL_PHOTO
) -> Status[Any]:
    """Multipart form. Who was seen: exactly one of ``foreigner``,
    ``passport_number`` (+ ``nationality``) or ``seal`` (verified at once;
    the verdict is stored). GPS outside Lampung Barat is a field error. A
    registered foreigner seen in another kecamatan is flagged and gets an
    ``address_mismatch`` violation. ``oversight:write``; ``Idempotency-Key``
    honoured."""
    require_write(request.user)

    def handler() -> tuple[int, dict[str, Any]]:
        content = read_limited(photo.file, declared_size=photo.size) if photo else None
        sighting = sighting_record(
            actor=request.user,
            data=SightingData(
                kecamatan_code=payload.kecamatan,
                seen_at=payload.seen_at,
                latitude=payload.latitude,
                longitude=payload.longitude,
                note=payload.note,
                foreigner_id=payload.foreigner,
                passport_number=payload.passport_number,
                nationality=payload.nationality,
                seal=payload.seal,
                photo=content,
            ),
        )
        found = selectors.sighting_get(actor=request.user, public_id=sighting.public_id)
        return 201, sighting_out(found, with_note=True).model_dump(mode="json")

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.get(
    "/oversight/sightings",
    scope="oversight:read",
    response=list[SightingOut],
    summary="Sightings of your office (staff)",
    operation_id="simi_oversight_device_api_sighting_list",
)
@paginate(LimitOffsetPagination)
def sighting_list(
    request: HttpRequest,
    kecamatan: str = "",
    subject: str = "",
    seal_verdict: str = "",
    address_mismatch: bool | None = None,
) -> Paged[SightingOut]:
    """Newest first. Filters: ``kecamatan`` (18.04.04), ``subject``
    (foreigner, passport, seal), ``seal_verdict``, ``address_mismatch``."""
    require_read(request.user)

    found = selectors.sighting_list(
        actor=request.user,
        filters=selectors.SightingFilters(
            kecamatan=kecamatan[:13],
            subject=subject[:10],
            seal_verdict=seal_verdict[:16],
            address_mismatch=address_mismatch,
        ),
    )
    return paged(found, sighting_out)


@router.get(
    "/oversight/sightings/{sighting_id}",
    scope="oversight:read",
    response=SightingOut,
    summary="One sighting (staff)",
    operation_id="simi_oversight_device_api_sighting_get",
)
def sighting_get(request: HttpRequest, sighting_id: uuid.UUID) -> SightingOut:
    """With the note. Another office's sighting answers 404. The read is audited."""
    require_read(request.user)
    return sighting_out(
        selectors.sighting_open(actor=request.user, public_id=sighting_id), with_note=True
    )
