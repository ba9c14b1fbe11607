from __future__ import annotations

import uuid
from typing import Literal

from ninja import Field, Schema


class MissingItemOut(Schema):
    """One thing a record still lacks before the step can be taken: a document
    (``item`` is its requirement code) or a field (``item`` is its name), with
    a label in the caller's language."""

    item: str
    kind: Literal["document", "field"]
    label: str


class ErrorOut(Schema):
    """An error: a stable machine code, a message in the caller's language,
    messages per field when input was wrong, and the support reference."""

    code: str
    message: str
    fields: dict[str, list[str]] | None = None
    scope: str | None = Field(
        None, description="With `scope_missing`: the scope the API token lacks."
    )
    missing: list[MissingItemOut] | None = Field(
        None, description="With `application_incomplete`: every document and field missing."
    )
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
