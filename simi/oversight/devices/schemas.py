"""API schemas of the device registry and device event batches."""

import uuid
from datetime import datetime

from ninja import Field, Schema


class DeviceOut(Schema):
    id: uuid.UUID
    code: str
    kind: str = Field(..., description="cctv_analytics, autogate or kiosk.")
    office: str
    kecamatan: str
    location: str
    status: str = Field(..., description="active or disabled.")
    key_kind: str = Field(..., description="hmac or ed25519.")
    key_id: str
    expected_interval_minutes: int
    last_seen_at: datetime | None
    rotated_at: datetime | None
    offline_since: datetime | None = Field(..., description="Set while an offline alert is open.")


class DeviceAlertOut(Schema):
    id: uuid.UUID
    device: str
    silent_since: datetime
    opened_at: datetime
    closed_at: datetime | None


class DeviceEventsIn(Schema):
    """``{"events": [...]}``, at most 5,000. Each event: ``event_id`` (1-64
    visible characters, unique per device), ``kind`` (face_match_candidate,
    plate_read, gate_passage, crowd_count, heartbeat, seal_scan),
    ``occurred_at`` (ISO 8601), optional ``payload`` (object, at most 2 KB,
    no personal data), optional ``passport_number`` + ``nationality``
    (stored only as a blind index), optional ``seal`` (a permit QR text,
    stored only as its verdict and document id)."""

    events: list[dict[str, object]]


class DeviceEventsOut(Schema):
    accepted: int = Field(..., description="New events stored.")
    duplicates: int = Field(
        ..., description="Events this device had sent before (not stored again)."
    )
    received_at: datetime
