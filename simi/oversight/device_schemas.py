"""API schemas of sightings, the device registry and device event batches."""

import uuid
from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema


class SightingIn(Schema):
    """A field report. Say who was seen with exactly one of ``foreigner``
    (register id), ``passport_number`` + ``nationality``, or ``seal`` (the
    text of a permit's QR code, verified on the spot). Multipart form fields;
    an optional ``photo`` file (JPEG or PNG, at most 5 MB)."""

    kecamatan: str = Field(..., max_length=13, description="Kecamatan code, e.g. 18.04.04.")
    seen_at: datetime | None = Field(None, description="ISO 8601; default now.")
    latitude: Decimal | None = Field(None, description="Decimal degrees, -5.50 to -4.70.")
    longitude: Decimal | None = Field(None, description="Decimal degrees, 103.70 to 104.70.")
    note: str = Field("", max_length=2000)
    foreigner: uuid.UUID | None = None
    passport_number: str = Field("", max_length=20)
    nationality: str = Field("", max_length=3, description="With passport_number, e.g. AUS.")
    seal: str = Field("", max_length=2000)


class SightingOut(Schema):
    id: uuid.UUID
    seen_at: datetime
    kecamatan: str
    kecamatan_name: str
    latitude: Decimal | None
    longitude: Decimal | None
    subject: str = Field(..., description="foreigner, passport or seal.")
    foreigner: uuid.UUID | None = Field(..., description="The matched register foreigner.")
    seal_verdict: str | None = Field(
        ..., description="valid, revoked, expired, not_yet_valid or forged."
    )
    seal_reason: str | None = Field(..., description="Why forged (e.g. bad_signature).")
    document: uuid.UUID | None = Field(..., description="The issued document the seal names.")
    address_mismatch: bool = Field(
        ..., description="Seen in another kecamatan than the registered one."
    )
    violation: uuid.UUID | None
    has_photo: bool
    note: str | None = Field(None, description="Only when one sighting is asked for.")


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
