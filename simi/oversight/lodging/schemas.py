"""API schemas of lodging places, lodging reports and CSV files."""

import uuid
from datetime import datetime

from ninja import Field, Schema


class StoppedPlaceOut(Schema):
    code: str
    name: str
    kind: str
    kecamatan: str
    days_quiet: int


class LodgingPlaceOut(Schema):
    code: str
    name: str
    kind: str = Field(..., description="hotel, homestay, company or private_host.")
    kecamatan: str


class LodgingReportIn(Schema):
    """One foreign guest. Send the same guest and check-in again with
    ``check_out`` to report the check-out; an identical report changes nothing."""

    place: str = Field(..., min_length=1, max_length=40, description="Code of your lodging place.")
    full_name: str = Field(..., max_length=150, description="As in the passport.")
    nationality: str = Field(..., max_length=3, description="Three letters, e.g. AUS.")
    passport_number: str = Field(..., max_length=20)
    check_in: datetime = Field(..., description="ISO 8601; without offset it is Asia/Jakarta.")
    check_out: datetime | None = None


class LodgingReportOut(Schema):
    id: uuid.UUID
    place: str
    full_name: str
    nationality: str
    check_in: datetime
    check_out: datetime | None
    reported_at: datetime
    is_late: bool = Field(..., description="Reported more than 24 hours after check-in.")
    outcome: str | None = Field(None, description="On POST: created, checked_out or unchanged.")


class ImportErrorOut(Schema):
    line: int = Field(..., description="Line of the file (the header is line 1).")
    field: str
    code: str
    message: str


class LodgingImportOut(Schema):
    """An uploaded CSV file: all rows imported, or none (status rejected)."""

    id: uuid.UUID
    place: str
    status: str = Field(..., description="queued, validating, importing, done, rejected or failed.")
    rows_total: int
    rows_checked: int
    created_count: int
    updated_count: int
    unchanged_count: int
    errors: list[ImportErrorOut]
    failure_code: str | None = Field(
        None, description="When failed: worker_stopped (the file is not kept; upload it again)."
    )
    failure_message: str | None = Field(None, description="When failed: why, in your language.")
