"""The /api/v1 operations of oversight: the register for staff with
``oversight:read`` (scoped to their office), lodging reports for partners."""

import uuid
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.core.errors import NotFound, ValidationFailed
from simi.core.idempotency import idempotent
from simi.core.paging import Paged, paged
from simi.core.scopes import require_scope
from simi.oversight import lodging, selectors, services
from simi.oversight.export import export_filename, foreigners_csv
from simi.oversight.lodging import GuestData, row_error_message
from simi.oversight.models import (
    Foreigner,
    LodgingImport,
    LodgingReport,
    PermitKind,
    StayPermit,
    Violation,
)
from simi.oversight.schemas import (
    ForeignerDetailOut,
    ForeignerOut,
    ImportErrorOut,
    LodgingImportOut,
    LodgingPlaceOut,
    LodgingReportIn,
    LodgingReportOut,
    LodgingStayOut,
    MovementOut,
    PermitOut,
    StoppedPlaceOut,
    TravelDocumentOut,
    ViolationOut,
)

router = Router(tags=["oversight"])


class ForeignerQuery(Schema):
    nationality: str = ""
    kecamatan: str = ""
    permit_kind: PermitKind | None = None
    expiring_within: int | None = None


def _filters(query: ForeignerQuery) -> selectors.ForeignerFilters:
    if query.expiring_within is not None and not 0 <= query.expiring_within <= 366:
        raise ValidationFailed.for_field("expiring_within", "0..366", code="expiring_within_range")
    return selectors.ForeignerFilters(
        nationality=query.nationality[:3],
        kecamatan=query.kecamatan[:13],
        permit_kind=query.permit_kind or "",
        expiring_within=query.expiring_within,
    )


def _foreigner_out(f: Foreigner) -> dict[str, Any]:
    return {
        "id": f.public_id,
        "full_name": f.person.full_name or "",
        "nationality": f.person.nationality,
        "sex": f.person.sex,
        "kecamatan": f.kecamatan.code if f.kecamatan else None,
        "kecamatan_name": f.kecamatan.name if f.kecamatan else None,
        "office": f.office.code,
        "permit_kind": getattr(f, "permit_kind", None),
        "permit_valid_until": getattr(f, "permit_until", None),
        "registered_at": f.created_at,
    }


def _permit_out(p: StayPermit) -> PermitOut:
    return PermitOut(
        id=p.public_id,
        kind=p.kind,
        number=p.number or "",
        valid_from=p.valid_from,
        valid_until=p.valid_until,
        status=p.status,
        office=p.office.code,
        sponsor_kind=p.sponsor.kind if p.sponsor else None,
        sponsor_name=p.sponsor.name if p.sponsor else None,
        issued_by_simi=p.issued_document_id is not None,
    )


def _violation_out(v: Violation) -> ViolationOut:
    return ViolationOut(
        id=v.public_id,
        foreigner=v.foreigner.public_id,
        kind=v.kind,
        status=v.status,
        detected_on=v.detected_on,
        overstay_from=v.overstay_from,
        overstay_days=v.overstay_days,
        is_running=v.is_running,
        charge_per_day=v.charge_per_day,
        charge_total=v.charge_total,
        escalation=v.escalation,
        escalated_at=v.escalated_at,
    )


@router.get(
    "/oversight/foreigners", response=list[ForeignerOut], summary="Register of foreigners (staff)"
)
@paginate(LimitOffsetPagination)
def foreigner_list(request: HttpRequest, query: Query[ForeignerQuery]) -> Paged[dict[str, Any]]:
    """Foreigners of your office and its service points, newest first, with
    the permit in force today. Filters: ``nationality`` (AUS), ``kecamatan``
    (18.04.04), ``permit_kind``, ``expiring_within`` (days, 0-366)."""
    require_scope(request, "oversight:read")
    services.require_read(request.user)
    found = selectors.foreigner_list(actor=request.user, filters=_filters(query))
    return paged(found, _foreigner_out)


@router.get(
    "/oversight/foreigners/export",
    response={200: str},
    summary="Register of foreigners as CSV (staff)",
)
def foreigner_export(request: HttpRequest, query: Query[ForeignerQuery]) -> StreamingHttpResponse:
    """The filtered register as a streamed CSV download; the export is audited."""
    require_scope(request, "oversight:read")
    services.require_read(request.user)
    chunks = foreigners_csv(actor=request.user, filters=_filters(query))
    response = StreamingHttpResponse(
        (line.encode() for line in chunks), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get(
    "/oversight/foreigners/{foreigner_id}",
    response=ForeignerDetailOut,
    summary="One foreigner's file (staff)",
)
def foreigner_get(request: HttpRequest, foreigner_id: uuid.UUID) -> dict[str, Any]:
    """Outside your office it answers 404, like a missing one. The read is audited."""
    require_scope(request, "oversight:read")
    services.require_read(request.user)
    found = selectors.foreigner_list(actor=request.user).filter(public_id=foreigner_id).first()
    if found is None:
        raise NotFound()
    selectors.foreigner_open(actor=request.user, public_id=foreigner_id)
    file = selectors.foreigner_file(found)
    return {
        **_foreigner_out(found),
        "birth_date": found.person.birth_date,
        "address": found.address,
        "travel_documents": [
            TravelDocumentOut(
                document_code=d.document_code,
                number=d.number,
                issuing_state=d.issuing_state,
                expiry_date=d.expiry_date,
            )
            for d in file.travel_documents
        ],
        "permits": [_permit_out(p) for p in file.permits],
        "movements": [
            MovementOut(direction=m.direction, date=m.date, port=m.port) for m in file.movements
        ],
        "lodging_reports": [
            LodgingStayOut(
                place=r.place.code, check_in=r.check_in, check_out=r.check_out, is_late=r.is_late
            )
            for r in file.lodging_reports
        ],
        "violations": [_violation_out(v) for v in file.violations],
    }


@router.get("/oversight/violations", response=list[ViolationOut], summary="Violations (staff)")
@paginate(LimitOffsetPagination)
def violation_list(request: HttpRequest, status: str = "", kind: str = "") -> Paged[ViolationOut]:
    """Violations found by the detection jobs in your office, newest first."""
    require_scope(request, "oversight:read")
    services.require_read(request.user)
    found = selectors.violation_list(actor=request.user, status=status[:10], kind=kind[:30])
    return paged(found, _violation_out)


@router.get(
    "/oversight/lodging/stopped",
    response=list[StoppedPlaceOut],
    summary="Lodging places that stopped reporting (staff)",
)
def stopped_places(request: HttpRequest) -> list[StoppedPlaceOut]:
    """Places that usually report but have been silent past their alert period."""
    require_scope(request, "oversight:read")
    services.require_read(request.user)
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
    )


@router.get("/lodging/places", response=list[LodgingPlaceOut], summary="Your lodging places")
def place_list(request: HttpRequest) -> list[LodgingPlaceOut]:
    """The lodging places your partner account reports for."""
    require_scope(request, "lodging:report")
    lodging.require_reporter(request.user)
    return [
        LodgingPlaceOut(code=p.code, name=p.name, kind=p.kind, kecamatan=p.kecamatan.code)
        for p in selectors.partner_places(actor=request.user)
    ]


@router.get("/lodging/reports", response=list[LodgingReportOut], summary="Your lodging reports")
@paginate(LimitOffsetPagination)
def report_list(request: HttpRequest) -> Paged[LodgingReportOut]:
    """Reports of your places, latest check-in first."""
    require_scope(request, "lodging:report")
    lodging.require_reporter(request.user)
    return paged(selectors.partner_reports(actor=request.user), _report_out)


@router.post(
    "/lodging/reports",
    response={200: LodgingReportOut, 201: LodgingReportOut},
    summary="Report a foreign guest",
)
def report_create(request: HttpRequest, payload: LodgingReportIn) -> Status[Any]:
    """Report a guest within 24 hours of check-in (UU 6/2011 Art. 72); later
    reports are flagged late. 201 for a new report, 200 when it records the
    check-out or was already reported. ``Idempotency-Key`` honoured."""
    require_scope(request, "lodging:report")
    lodging.require_reporter(request.user)

    def handler() -> tuple[int, dict[str, Any]]:
        place = lodging.place_for_reporter(actor=request.user, code=payload.place)
        result = lodging.lodging_report_submit(
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
    response={202: LodgingImportOut},
    summary="Upload a CSV file of guests",
)
def import_create(request: HttpRequest, place: Form[str], file: File[UploadedFile]) -> Status[Any]:
    """Multipart: ``place`` (code) and ``file`` (UTF-8 CSV, header
    ``full_name,nationality,passport_number,check_in,check_out``). Size,
    encoding and header are checked at once (422); the rows by the worker:
    poll ``GET /lodging/imports/{id}``. All rows are imported or none."""
    require_scope(request, "lodging:report")
    lodging.require_reporter(request.user)

    def handler() -> tuple[int, dict[str, Any]]:
        chosen = lodging.place_for_reporter(actor=request.user, code=place[:40])
        upload = lodging.lodging_import_start(actor=request.user, place=chosen, raw=file.read())
        return 202, _import_out(upload).model_dump(mode="json")

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.get(
    "/lodging/imports/{import_id}", response=LodgingImportOut, summary="Progress of a CSV file"
)
def import_get(request: HttpRequest, import_id: uuid.UUID) -> LodgingImportOut:
    """Rows checked so far; when rejected, every bad row with its line and reason."""
    require_scope(request, "lodging:report")
    return _import_out(selectors.partner_import_get(actor=request.user, public_id=import_id))


# --- Sightings, devices and device events (device_api.py) ----------------------

from simi.oversight.device_api import router as _device_router  # noqa: E402

router.add_router("", _device_router)
