"""API of sightings (staff), the device registry (staff) and the device
ingestion endpoint (devices, signed; no user). Mounted on the oversight
router (``api.py``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Header, Router
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.core.errors import RateLimited
from simi.core.idempotency import idempotent
from simi.core.paging import Paged, paged
from simi.core.ratelimit import client_ip, hit
from simi.core.schemas import ErrorEnvelope
from simi.core.scopes import require_scope
from simi.core.uploads import read_limited
from simi.oversight import devices, ingest, services, sightings
from simi.oversight.device_schemas import (
    DeviceAlertOut,
    DeviceEventsIn,
    DeviceEventsOut,
    DeviceOut,
    SightingIn,
    SightingOut,
)
from simi.oversight.models import Device, DeviceAlert, Sighting

router = Router()

# Per minute. A device sends a batch every few seconds at most; an address
# (one site's NAT may front several devices) gets more room.
DEVICE_BATCHES_PER_MINUTE = 120
ADDRESS_BATCHES_PER_MINUTE = 600


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


def device_out(d: Device) -> DeviceOut:
    return DeviceOut(
        id=d.public_id,
        code=d.code,
        kind=d.kind,
        office=d.office.code,
        kecamatan=d.kecamatan.code,
        location=d.location,
        status=d.status,
        key_kind=d.key_kind,
        key_id=d.key_id,
        expected_interval_minutes=d.expected_interval_minutes,
        last_seen_at=d.last_seen_at,
        rotated_at=d.rotated_at,
        offline_since=getattr(d, "offline_since", None),
    )


# --- Sightings -----------------------------------------------------------------

_OPTIONAL_PHOTO = File(None)


@router.post(
    "/oversight/sightings",
    response={201: SightingOut},
    summary="Record a sighting (staff)",
    tags=["oversight"],
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
    require_scope(request, "oversight:write")
    services.require_write(request.user)

    def handler() -> tuple[int, dict[str, Any]]:
        content = read_limited(photo.file, declared_size=photo.size) if photo else None
        sighting = sightings.sighting_record(
            actor=request.user,
            data=sightings.SightingData(
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
        found = sightings.sighting_get(actor=request.user, public_id=sighting.public_id)
        return 201, sighting_out(found, with_note=True).model_dump(mode="json")

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.get(
    "/oversight/sightings",
    response=list[SightingOut],
    summary="Sightings of your office (staff)",
    tags=["oversight"],
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
    require_scope(request, "oversight:read")
    services.require_read(request.user)

    found = sightings.sighting_list(
        actor=request.user,
        filters=sightings.SightingFilters(
            kecamatan=kecamatan[:13],
            subject=subject[:10],
            seal_verdict=seal_verdict[:16],
            address_mismatch=address_mismatch,
        ),
    )
    return paged(found, sighting_out)


@router.get(
    "/oversight/sightings/{sighting_id}",
    response=SightingOut,
    summary="One sighting (staff)",
    tags=["oversight"],
)
def sighting_get(request: HttpRequest, sighting_id: uuid.UUID) -> SightingOut:
    """With the note. Another office's sighting answers 404. The read is audited."""
    require_scope(request, "oversight:read")
    services.require_read(request.user)
    return sighting_out(
        sightings.sighting_open(actor=request.user, public_id=sighting_id), with_note=True
    )


# --- Devices (staff) -------------------------------------------------------------


@router.get(
    "/oversight/devices",
    response=list[DeviceOut],
    summary="Devices of your office (staff)",
    tags=["oversight"],
)
@paginate(LimitOffsetPagination)
def device_list(request: HttpRequest, kind: str = "", status: str = "") -> Paged[DeviceOut]:
    """CCTV analytics units, autogates and kiosks, with ``offline_since``
    while an offline alert is open. Keys are never shown."""
    require_scope(request, "oversight:read")
    services.require_read(request.user)

    found = devices.device_list(actor=request.user, kind=kind[:20], status=status[:10])
    return paged(found, device_out)


@router.get(
    "/oversight/devices/alerts",
    response=list[DeviceAlertOut],
    summary="Device offline alerts (staff)",
    tags=["oversight"],
)
@paginate(LimitOffsetPagination)
def alert_list(request: HttpRequest, open_only: bool = False) -> Paged[DeviceAlertOut]:
    """One alert per outage, newest first; ``closed_at`` when the device came back."""
    require_scope(request, "oversight:read")
    services.require_read(request.user)

    def convert(a: DeviceAlert) -> DeviceAlertOut:
        return DeviceAlertOut(
            id=a.public_id,
            device=a.device.code,
            silent_since=a.silent_since,
            opened_at=a.opened_at,
            closed_at=a.closed_at,
        )

    found = devices.alerts_visible(actor=request.user, open_only=open_only)
    return paged(found, convert)


# --- Ingestion (devices) -----------------------------------------------------------

_EVENTS_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": DeviceEventsIn.model_json_schema()}},
    }
}


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@router.post(
    "/devices/events",
    response={200: DeviceEventsOut, 413: ErrorEnvelope},
    auth=None,
    summary="A signed batch of device events (devices)",
    tags=["devices"],
    openapi_extra=_EVENTS_BODY,
)
def device_events(
    request: HttpRequest,
    x_simi_device: str | None = Header(None, alias=ingest.DEVICE_HEADER),
    x_simi_timestamp: str | None = Header(None, alias=ingest.TIMESTAMP_HEADER),
    x_simi_nonce: str | None = Header(None, alias=ingest.NONCE_HEADER),
    x_simi_signature: str | None = Header(None, alias=ingest.SIGNATURE_HEADER),
    x_simi_key_id: str | None = Header(None, alias="X-Simi-Key-Id"),
) -> Status[Any]:
    """No user sign-in: the device signs. ``X-Simi-Signature`` is the
    HMAC-SHA256 (device secret) or Ed25519 signature (device key) of
    ``f"{X-Simi-Timestamp}\\n{X-Simi-Nonce}\\n"`` followed by the raw body,
    in hex or base64. Timestamp: unix seconds within 5 minutes of our clock;
    nonce: 16-64 visible characters, never reused (401 otherwise, and for an
    unknown or disabled device or a bad signature). Body at most 5 MB (413).
    A bad event: 422 naming its index (``events.<i>.<field>``), nothing
    stored. A re-sent ``event_id`` is counted in ``duplicates``, not stored
    twice. At most 120 batches a minute per device (429)."""
    limit = int(getattr(settings, "SIMI_DEVICE_ADDRESS_LIMIT", ADDRESS_BATCHES_PER_MINUTE))
    if not hit("oversight.devices.ip", client_ip(request), limit=limit, window_seconds=60):
        raise RateLimited()
    if _declared_length(request) > ingest.MAX_BODY_BYTES:
        raise ingest.PayloadTooLarge()
    body = request.read(ingest.MAX_BODY_BYTES + 1)
    now = timezone.now()
    device = ingest.authenticate(
        device_code=x_simi_device or "",
        timestamp=x_simi_timestamp or "",
        nonce=x_simi_nonce or "",
        signature=x_simi_signature or "",
        body=body,
        now=now,
        key_id=x_simi_key_id,
    )
    limit = int(getattr(settings, "SIMI_DEVICE_BATCH_LIMIT", DEVICE_BATCHES_PER_MINUTE))
    if not hit("oversight.devices", device.code, limit=limit, window_seconds=60):
        raise RateLimited()
    events = ingest.parse_events(body, now=now)
    result = ingest.events_store(
        device=device, nonce=(x_simi_nonce or "").strip(), events=events, now=now
    )
    return Status(
        200,
        {
            "accepted": result.accepted,
            "duplicates": result.duplicates,
            "received_at": result.received_at.isoformat(),
        },
    )
