"""The /api/v1 operations of the register for staff with ``oversight:read``
(scoped to their office): foreigners, their files, exports and violations.

Operation ids are the ones the API had before oversight was split into
sub-packages; clients generated from docs/openapi.json keep working."""

import uuid
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from simi.core.errors import NotFound, ValidationFailed
from simi.core.paging import Paged, paged
from simi.core.routing import ScopedRouter
from simi.oversight.access import require_read
from simi.oversight.codes import Code
from simi.oversight.models import Foreigner, PermitKind, StayPermit, Violation
from simi.oversight.register import selectors
from simi.oversight.register.export import export_filename, foreigners_csv
from simi.oversight.register.schemas import (
    ForeignerDetailOut,
    ForeignerOut,
    LodgingStayOut,
    MovementOut,
    PermitOut,
    TravelDocumentOut,
    ViolationOut,
)

router = ScopedRouter(tags=["oversight"])


class ForeignerQuery(Schema):
    nationality: str = ""
    kecamatan: str = ""
    permit_kind: PermitKind | None = None
    expiring_within: int | None = None


def _filters(query: ForeignerQuery) -> selectors.ForeignerFilters:
    if query.expiring_within is not None and not 0 <= query.expiring_within <= 366:
        raise ValidationFailed.for_field(
            "expiring_within", "0..366", code=Code.EXPIRING_WITHIN_RANGE
        )
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
        extends=p.extends.public_id if p.extends is not None else None,
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
    "/oversight/foreigners",
    scope="oversight:read",
    response=list[ForeignerOut],
    summary="Register of foreigners (staff)",
    operation_id="simi_oversight_api_foreigner_list",
)
@paginate(LimitOffsetPagination)
def foreigner_list(request: HttpRequest, query: Query[ForeignerQuery]) -> Paged[dict[str, Any]]:
    """Foreigners of your office and its service points, newest first, with
    the permit in force today. Filters: ``nationality`` (AUS), ``kecamatan``
    (18.04.04), ``permit_kind``, ``expiring_within`` (days, 0-366)."""
    require_read(request.user)
    found = selectors.foreigner_list(actor=request.user, filters=_filters(query))
    return paged(found, _foreigner_out)


@router.get(
    "/oversight/foreigners/export",
    scope="oversight:read",
    response={200: None},
    summary="Register of foreigners as CSV (staff)",
    operation_id="simi_oversight_api_foreigner_export",
    openapi_extra={
        "responses": {
            200: {
                "description": "The register as CSV.",
                "content": {"text/csv; charset=utf-8": {"schema": {"type": "string"}}},
            }
        }
    },
)
def foreigner_export(request: HttpRequest, query: Query[ForeignerQuery]) -> StreamingHttpResponse:
    """The filtered register as a streamed CSV download; the export is audited."""
    require_read(request.user)
    chunks = foreigners_csv(actor=request.user, filters=_filters(query))
    response = StreamingHttpResponse(
        (line.encode() for line in chunks), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get(
    "/oversight/foreigners/{foreigner_id}",
    scope="oversight:read",
    response=ForeignerDetailOut,
    summary="One foreigner's file (staff)",
    operation_id="simi_oversight_api_foreigner_get",
)
def foreigner_get(request: HttpRequest, foreigner_id: uuid.UUID) -> dict[str, Any]:
    """Outside your office it answers 404, like a missing one. The read is audited."""
    require_read(request.user)
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


@router.get(
    "/oversight/violations",
    scope="oversight:read",
    response=list[ViolationOut],
    summary="Violations (staff)",
    operation_id="simi_oversight_api_violation_list",
)
@paginate(LimitOffsetPagination)
def violation_list(request: HttpRequest, status: str = "", kind: str = "") -> Paged[ViolationOut]:
    """Violations found by the detection jobs in your office, newest first."""
    require_read(request.user)
    found = selectors.violation_list(actor=request.user, status=status[:10], kind=kind[:30])
    return paged(found, _violation_out)
