"""The /api/v1 operations of devices: the registry and its offline alerts
for staff with ``oversight:read``, and the ingestion endpoint for devices
(signed; no user).

Operation ids are the ones the API had before oversight was split into
sub-packages; clients generated from docs/openapi.json keep working."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Header
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.core.errors import RateLimited
from simi.core.paging import Paged, paged
from simi.core.ratelimit import client_ip, hit
from simi.core.routing import PUBLIC, ScopedRouter
from simi.core.schemas import ErrorEnvelope
from simi.oversight.access import require_read
from simi.oversight.devices import ingest, selectors
from simi.oversight.devices.schemas import (
    DeviceAlertOut,
    DeviceEventsIn,
    DeviceEventsOut,
    DeviceOut,
)
from simi.oversight.models import Device, DeviceAlert

router = ScopedRouter(tags=["oversight"])

# Per minute. A device sends a batch every few seconds at most; an address
# (one site's NAT may front several devices) gets more room.
DEVICE_BATCHES_PER_MINUTE = 120
ADDRESS_BATCHES_PER_MINUTE = 600


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


# --- Devices (staff) -------------------------------------------------------------


@router.get(
    "/oversight/devices",
    scope="oversight:read",
    response=list[DeviceOut],
    summary="Devices of your office (staff)",
    operation_id="simi_oversight_device_api_device_list",
)
@paginate(LimitOffsetPagination)
def device_list(request: HttpRequest, kind: str = "", status: str = "") -> Paged[DeviceOut]:
    """CCTV analytics units, autogates and kiosks, with ``offline_since``
    while an offline alert is open. Keys are never shown."""
    require_read(request.user)

    found = selectors.device_list(actor=request.user, kind=kind[:20], status=status[:10])
    return paged(found, device_out)


@router.get(
    "/oversight/devices/alerts",
    scope="oversight:read",
    response=list[DeviceAlertOut],
    summary="Device offline alerts (staff)",
    operation_id="simi_oversight_device_api_alert_list",
)
@paginate(LimitOffsetPagination)
def alert_list(request: HttpRequest, open_only: bool = False) -> Paged[DeviceAlertOut]:
    """One alert per outage, newest first; ``closed_at`` when the device came back."""
    require_read(request.user)

    def convert(a: DeviceAlert) -> DeviceAlertOut:
        return DeviceAlertOut(
            id=a.public_id,
            device=a.device.code,
            silent_since=a.silent_since,
            opened_at=a.opened_at,
            closed_at=a.closed_at,
        )

    found = selectors.alerts_visible(actor=request.user, open_only=open_only)
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
    scope=PUBLIC,
    response={200: DeviceEventsOut, 413: ErrorEnvelope},
    summary="A signed batch of device events (devices)",
    tags=["devices"],
    openapi_extra=_EVENTS_BODY,
    operation_id="simi_oversight_device_api_device_events",
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
