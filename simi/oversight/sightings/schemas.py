"""API schemas of sightings."""

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
