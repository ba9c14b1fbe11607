from __future__ import annotations

import uuid
from datetime import date

from ninja import Field, Schema


class ErrorOut(Schema):
    """An error: a stable machine code, a message in the caller's language,
    messages per field when input was wrong, and the support reference."""

    code: str
    message: str
    fields: dict[str, list[str]] | None = None
    reference: str = ""


class ErrorEnvelope(Schema):
    error: ErrorOut


class OfficeOut(Schema):
    """An immigration office or service point."""

    id: uuid.UUID
    code: str
    name: str
    kind: str
    parent_code: str | None
    region_code: str | None
    address: str


class RegionOut(Schema):
    """A region by its Kepmendagri code."""

    code: str
    level: str
    name: str
    parent_code: str | None
    lat: float | None
    lng: float | None


class HealthOut(Schema):
    """Liveness of SIMI's parts."""

    ok: bool
    checks: dict[str, dict[str, object]]


class PersonLookupIn(Schema):
    """Find one person by an exact identity number. Sent in the body, never in
    the URL, so the number stays out of logs and browser history."""

    purpose: str = Field(
        ..., min_length=10, max_length=200, description="Why you need this record (audited)."
    )
    nik: str | None = Field(None, max_length=40)
    passport_number: str | None = Field(None, max_length=40)
    nationality: str | None = Field(None, max_length=3, description="ICAO code of the passport.")


class PersonOut(Schema):
    """A person's identity record as staff see it."""

    id: uuid.UUID
    kind: str
    full_name: str
    nationality: str
    sex: str
    birth_date: date | None
    nik_masked: str | None
    passport_number: str | None
    region_code: str | None
