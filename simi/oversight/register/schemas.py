"""API schemas of the register of foreigners."""

import uuid
from datetime import date, datetime

from ninja import Field, Schema


class ForeignerOut(Schema):
    """A foreigner in the register with the permit in force today."""

    id: uuid.UUID
    full_name: str
    nationality: str = Field(..., description="ISO 3166 alpha-3 as on the passport, e.g. AUS.")
    sex: str = Field(..., description="M, F or X.")
    kecamatan: str | None = Field(..., description="Kecamatan code, e.g. 18.04.04.")
    kecamatan_name: str | None
    office: str = Field(..., description="Code of the responsible office.")
    permit_kind: str | None = Field(..., description="Kind of the permit in force today.")
    permit_valid_until: date | None
    registered_at: datetime


class PermitOut(Schema):
    id: uuid.UUID
    kind: str
    number: str
    valid_from: date
    valid_until: date
    status: str = Field(
        ..., description="active, expired, cancelled, or extended (continued by a later permit)."
    )
    office: str
    sponsor_kind: str | None
    sponsor_name: str | None
    issued_by_simi: bool
    extends: uuid.UUID | None = Field(
        None, description="The permit this one extends (an extension issued by SIMI)."
    )


class MovementOut(Schema):
    direction: str = Field(..., description="entry or exit.")
    date: date
    port: str


class TravelDocumentOut(Schema):
    document_code: str
    number: str
    issuing_state: str
    expiry_date: date | None


class ViolationOut(Schema):
    """Something a detection job found; a case may join it later."""

    id: uuid.UUID
    foreigner: uuid.UUID
    kind: str = Field(..., description="overstay or lodging_without_permit.")
    status: str = Field(..., description="open, in_case or closed.")
    detected_on: date
    overstay_from: date | None
    overstay_days: int
    is_running: bool
    charge_per_day: int = Field(..., description="Whole Rupiah, from data/charges.csv.")
    charge_total: int = Field(..., description="Whole Rupiah to date.")
    escalation: int = Field(..., description="0 none; 1 over 60 days (UU 6/2011 Art. 78(3)).")
    escalated_at: datetime | None


class LodgingStayOut(Schema):
    place: str
    check_in: datetime
    check_out: datetime | None
    is_late: bool


class ForeignerDetailOut(ForeignerOut):
    """The full file: address, passports, permits, movements, lodging, violations."""

    birth_date: date | None
    address: str | None
    travel_documents: list[TravelDocumentOut]
    permits: list[PermitOut]
    movements: list[MovementOut]
    lodging_reports: list[LodgingStayOut]
    violations: list[ViolationOut]
