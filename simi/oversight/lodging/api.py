"""The /api/v1 operations of lodging: reports and CSV files for partners
with ``lodging:report``, and places that stopped reporting for staff.

Operation ids are the ones the API had before oversight was split into
sub-packages; clients generated from docs/openapi.json keep working."""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import File, Form
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.core.idempotency import idempotent
from simi.core.paging import Paged, paged
from simi.core.routing import ScopedRouter
from simi.oversight.access import require_read, require_reporter
from simi.oversight.lodging import selectors
from simi.oversight.lodging.imports import failure_message, lodging_import_start
from simi.oversight.lodging.schemas import (
    ImportErrorOut,
    LodgingImportOut,
    LodgingPlaceOut,
    LodgingReportIn,
    LodgingReportOut,
    StoppedPlaceOut,
)
from simi.oversight.lodging.services import (
    GuestData,
    lodging_report_submit,
    place_for_reporter,
    row_error_message,
)
from simi.oversight.models import LodgingImport, LodgingReport

router = ScopedRouter(tags=["oversight"])


@router.get(
    "/oversight/lodging/stopped",
    scope="oversight:read",
    response=list[StoppedPlaceOut],
    summary="Lodging places that stopped reporting (staff)",
    operation_id="simi_oversight_api_stopped_places",
)
def stopped_places(request: HttpRequest) -> list[StoppedPlaceOut]:
    """Places that usually report but have been silent past their alert period."""
    require_read(request.user)
    return [
        StoppedPlaceOut(
            code=p.code,
            name=p.name,
            kind=p.kind,
            kecamatan=p.kecamatan.code,
            days_quiet=p.days_quiet,  # type: ignore[attr-defined]
        )
        for p in selectors.places_stopped_reporting(actor=request.user)
    ]


# --- Partners -----------------------------------------------------------------


def _report_out(report: LodgingReport, outcome: str | None = None) -> LodgingReportOut:
    return LodgingReportOut(
        id=report.public_id,
        place=report.place.code,
        full_name=report.full_name or "",
        nationality=report.nationality,
        check_in=report.check_in,
        check_out=report.check_out,
        reported_at=report.reported_at,
        is_late=report.is_late,
        outcome=outcome,
    )


def _import_out(upload: LodgingImport) -> LodgingImportOut:
    return LodgingImportOut(
        id=upload.public_id,
        place=upload.place.code,
        status=upload.status,
        rows_total=upload.rows_total,
        rows_checked=upload.rows_checked,
        created_count=upload.created_count,
        updated_count=upload.updated_count,
        unchanged_count=upload.unchanged_count,
        errors=[
            ImportErrorOut(
                line=e["line"],
                field=e.get("field", ""),
                code=e["code"],
                message=row_error_message(e["code"]),
            )
            for e in upload.errors
        ],
        failure_code=upload.failure or None,
        failure_message=failure_message(upload.failure) if upload.failure else None,
    )


@router.get(
    "/lodging/places",
    scope="lodging:report",
    response=list[LodgingPlaceOut],
    summary="Your lodging places",
    operation_id="simi_oversight_api_place_list",
)
def place_list(request: HttpRequest) -> list[LodgingPlaceOut]:
    """The lodging places your partner account reports for."""
    require_reporter(request.user)
    return [
        LodgingPlaceOut(code=p.code, name=p.name, kind=p.kind, kecamatan=p.kecamatan.code)
        for p in selectors.partner_places(actor=request.user)
    ]


@router.get(
    "/lodging/reports",
    scope="lodging:report",
    response=list[LodgingReportOut],
    summary="Your lodging reports",
    operation_id="simi_oversight_api_report_list",
)
@paginate(LimitOffsetPagination)
def report_list(request: HttpRequest) -> Paged[LodgingReportOut]:
    """Reports of your places, latest check-in first."""
    require_reporter(request.user)
    return paged(selectors.partner_reports(actor=request.user), _report_out)


@router.post(
    "/lodging/reports",
    scope="lodging:report",
    response={200: LodgingReportOut, 201: LodgingReportOut},
    summary="Report a foreign guest",
    operation_id="simi_oversight_api_report_create",
)
def report_create(request: HttpRequest, payload: LodgingReportIn) -> Status[Any]:
    """Report a guest within 24 hours of check-in (UU 6/2011 Art. 72); later
    reports are flagged late. 201 for a new report, 200 when it records the
    check-out or was already reported. ``Idempotency-Key`` honoured."""
    require_reporter(request.user)

    def handler() -> tuple[int, dict[str, Any]]:
        place = place_for_reporter(actor=request.user, code=payload.place)
        result = lodging_report_submit(
            actor=request.user,
            place=place,
            data=GuestData(
                payload.full_name,
                payload.nationality,
                payload.passport_number,
                payload.check_in,
                payload.check_out,
            ),
            source=LodgingReport.Source.API,
        )
        body = _report_out(result.report, result.outcome).model_dump(mode="json")
        return (201 if result.outcome == "created" else 200), body

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.post(
    "/lodging/imports",
    scope="lodging:report",
    response={202: LodgingImportOut},
    summary="Upload a CSV file of guests",
    operation_id="simi_oversight_api_import_create",
)
def import_create(request: HttpRequest, place: Form[str], file: File[UploadedFile]) -> Status[Any]:
    """Multipart: ``place`` (code) and ``file`` (UTF-8 CSV, header
    ``full_name,nationality,passport_number,check_in,check_out``). Size,
    encoding and header are checked at once (422); the rows by the worker:
    poll ``GET /lodging/imports/{id}``. All rows are imported or none."""
    require_reporter(request.user)

    def handler() -> tuple[int, dict[str, Any]]:
        chosen = place_for_reporter(actor=request.user, code=place[:40])
        upload = lodging_import_start(actor=request.user, place=chosen, raw=file.read())
        return 202, _import_out(upload).model_dump(mode="json")

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.get(
    "/lodging/imports/{import_id}",
    scope="lodging:report",
    response=LodgingImportOut,
    summary="Progress of a CSV file",
    operation_id="simi_oversight_api_import_get",
)
def import_get(request: HttpRequest, import_id: uuid.UUID) -> LodgingImportOut:
    """Rows checked so far; when rejected, every bad row with its line and reason."""
    return _import_out(selectors.partner_import_get(actor=request.user, public_id=import_id))
