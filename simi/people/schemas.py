"""Request and response schemas of the people API."""

from __future__ import annotations

import uuid
from datetime import date

from ninja import Field, Schema


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
