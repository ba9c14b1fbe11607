"""The /api/v1 operations of enforcement: cases, administrative actions and
the oversight dashboard. Staff with ``oversight:read`` (MFA like every staff
operation), scoped to their offices; another office's case answers 404."""

import uuid
from typing import Any, Literal

from django.http import HttpRequest, StreamingHttpResponse
from ninja import File, Form, Query, Schema
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.core.capabilities import Capability
from simi.core.errors import NotFound
from simi.core.idempotency import idempotent
from simi.core.paging import Paged, paged
from simi.core.routing import ScopedRouter
from simi.core.uploads import read_limited
from simi.enforcement import access, actions, evidence, exports, selectors, services
from simi.enforcement.dashboard import dashboard
from simi.enforcement.models import AdministrativeAction, Case, CaseNote, Evidence
from simi.enforcement.schemas import (
    ActionDecisionIn,
    ActionOut,
    ActionProposeIn,
    ActionTypeOut,
    AssignIn,
    CaseDetailOut,
    CaseNoteIn,
    CaseOpenIn,
    CaseOut,
    CaseViolationOut,
    CloseIn,
    DashboardOut,
    DeadlineIn,
    EventOut,
    EvidenceOut,
    NoteOut,
)
from simi.oversight.register import selectors as oversight_selectors

router = ScopedRouter(tags=["enforcement"])


class CaseQuery(Schema):
    status: Literal["", "open", "in_progress", "awaiting_approval", "closed"] = ""
    mine: bool = False


class ExportQuery(CaseQuery):
    format: Literal["csv", "xlsx"] = "csv"


READ: Capability = "oversight:read"
WRITE: Capability = "oversight:write"
DECIDE: Capability = "oversight:decide"
MANAGE = (WRITE, DECIDE)  # case management: the case worker or a supervisor


def _annotated(case: Case, name: str, related: Any) -> int:
    """The list's annotation when present, else a count of ``related``."""
    value = getattr(case, name, None)
    return int(value) if value is not None else int(related.count())


def _case_out(case: Case) -> dict[str, Any]:
    subject = case.subject
    return {
        "id": case.public_id,
        "status": case.status,
        "office": case.office.code,
        "foreigner": subject.public_id,
        "nationality": subject.person.nationality,
        "kecamatan": subject.kecamatan.code if subject.kecamatan else None,
        "assignee": case.assignee.public_id if case.assignee else None,
        "opened_at": case.opened_at,
        "due_date": case.due_date,
        "closed_at": case.closed_at,
        "violation_count": _annotated(case, "violation_count", case.violation_links),
        "actions_waiting": _annotated(
            case, "pending_actions", case.actions.filter(status="proposed")
        ),
    }


def action_out(action: AdministrativeAction) -> dict[str, Any]:
    bill = action.bill
    return {
        "id": action.public_id,
        "case": action.case.public_id,
        "action": action.action_type.code,
        "status": action.status,
        "grounds": action.grounds,
        "proposed_by": action.proposed_by.public_id if action.proposed_by else None,
        "proposed_at": action.proposed_at,
        "decided_by": action.decided_by.public_id if action.decided_by else None,
        "decided_at": action.decided_at,
        "decision_reason": action.decision_reason,
        "effective_from": action.effective_from,
        "effective_until": action.effective_until,
        "permit": action.permit.public_id if action.permit else None,
        "billing_code": bill.billing_code if bill else None,
        "bill_amount": bill.amount if bill else None,
        "took_effect_at": action.took_effect_at,
    }


def _note_out(note: CaseNote) -> dict[str, Any]:
    return {
        "id": note.public_id,
        "author": note.author.public_id,
        "text": note.text,
        "created_at": note.created_at,
    }


def _evidence_out(item: Evidence) -> dict[str, Any]:
    return {
        "id": item.public_id,
        "content_type": item.content_type,
        "size": item.size,
        "sha256": item.sha256,
        "description": item.description,
        "uploaded_by": item.uploaded_by.public_id if item.uploaded_by else None,
        "created_at": item.created_at,
    }


def _detail(case: Case) -> dict[str, Any]:
    file = selectors.case_file(case)
    return {
        **_case_out(case),
        "summary": case.summary,
        "violations": [
            CaseViolationOut(
                id=v.public_id,
                kind=v.kind,
                detected_on=v.detected_on,
                overstay_days=v.overstay_days,
                is_running=v.is_running,
                charge_total=v.charge_total,
            )
            for v in file.violations
        ],
        "actions": [action_out(a) for a in file.actions],
        "notes": [_note_out(n) for n in file.notes],
        "evidence": [_evidence_out(e) for e in file.evidence],
        "timeline": [
            EventOut(
                kind=e.kind,
                actor=e.actor.public_id if e.actor else None,
                occurred_at=e.occurred_at,
                data=e.data,
            )
            for e in file.events
        ],
    }


def _json(data: dict[str, Any], schema: type[Schema]) -> dict[str, Any]:
    return schema.model_validate(data).model_dump(mode="json")


@router.get("/enforcement/cases", scope=READ, response=list[CaseOut], summary="Cases (staff)")
@paginate(LimitOffsetPagination)
def case_list(request: HttpRequest, query: Query[CaseQuery]) -> Paged[dict[str, Any]]:
    """Cases of your office and its service points, earliest deadline first.
    ``status`` filters; ``mine=true`` lists the cases assigned to you."""
    access.require_read(request.user)
    found = selectors.case_list(
        actor=request.user,
        filters=selectors.CaseFilters(status=query.status, assigned_to_me=query.mine),
    )
    return paged(found, _case_out)


@router.post(
    "/enforcement/cases",
    scope=WRITE,
    response={200: CaseOut, 201: CaseOut},
    summary="Open a case from a violation, or add it to the open one",
)
def case_open(request: HttpRequest, payload: CaseOpenIn) -> Status[Any]:
    """201 with a new case, or 200 with the foreigner's case that is not
    closed (the violation joined it, or was already in it). Needs
    ``oversight:write``. ``Idempotency-Key`` honoured."""
    access.require_work(request.user)

    def handler() -> tuple[int, dict[str, Any]]:
        violation = (
            oversight_selectors.violation_list(actor=request.user)
            .filter(public_id=payload.violation)
            .first()
        )
        if violation is None:
            raise NotFound()
        case, opened = services.case_open_or_join(
            actor=request.user, violation=violation, summary=payload.summary
        )
        return (201 if opened else 200), _json(_case_out(case), CaseOut)

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.get(
    "/enforcement/cases/export",
    scope=READ,
    response={200: None},
    summary="Cases as CSV or XLSX (staff)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The download, in the asked format.",
                "content": {
                    exports.CONTENT_TYPES["csv"]: {"schema": {"type": "string"}},
                    exports.CONTENT_TYPES["xlsx"]: {
                        "schema": {"type": "string", "format": "binary"}
                    },
                },
            }
        }
    },
)
def case_export(request: HttpRequest, query: Query[ExportQuery]) -> StreamingHttpResponse:
    """The filtered case list (ids and codes, no names) as a download; audited."""
    access.require_read(request.user)
    filters = selectors.CaseFilters(status=query.status, assigned_to_me=query.mine)
    chunks = exports.cases_export(actor=request.user, filters=filters, fmt=query.format)
    response = StreamingHttpResponse(chunks, content_type=exports.CONTENT_TYPES[query.format])
    name = exports.export_filename("kasus", query.format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get(
    "/enforcement/cases/{case_id}", scope=READ, response=CaseDetailOut, summary="One case (staff)"
)
def case_get(request: HttpRequest, case_id: uuid.UUID) -> dict[str, Any]:
    """The case with its violations, actions, notes, evidence and timeline.
    Another office's case answers 404. The read is audited."""
    access.require_read(request.user)
    return _detail(selectors.case_open(actor=request.user, public_id=case_id))


def _case_for_write(request: HttpRequest, case_id: uuid.UUID) -> Case:
    return selectors.case_get(actor=request.user, public_id=case_id)


@router.post(
    "/enforcement/cases/{case_id}/notes",
    scope=MANAGE,
    response={201: NoteOut},
    summary="Add a note to a case",
)
def note_add(request: HttpRequest, case_id: uuid.UUID, payload: CaseNoteIn) -> Status[Any]:
    """A note (kept encrypted) on the case timeline. ``Idempotency-Key`` honoured."""
    access.require_manage(request.user)

    def handler() -> tuple[int, dict[str, Any]]:
        case = _case_for_write(request, case_id)
        note = services.note_add(actor=request.user, case=case, text=payload.text)
        return 201, _json(_note_out(note), NoteOut)

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.post(
    "/enforcement/cases/{case_id}/evidence",
    scope=MANAGE,
    response={201: EvidenceOut},
    summary="Add an evidence file to a case",
)
def evidence_add(
    request: HttpRequest,
    case_id: uuid.UUID,
    file: File[UploadedFile],
    description: Form[str] = "",
) -> Status[Any]:
    """Multipart: a PDF, JPEG or PNG (by content, at most 5 MB), stored
    encrypted. The same file sent again answers with the existing record."""
    access.require_manage(request.user)
    case = _case_for_write(request, case_id)
    content = read_limited(file, declared_size=file.size)
    item = evidence.evidence_add(
        actor=request.user, case=case, content=content, description=description[:600]
    )
    return Status(201, _json(_evidence_out(item), EvidenceOut))


@router.post(
    "/enforcement/cases/{case_id}/assign",
    scope=MANAGE,
    response={200: CaseOut},
    summary="Assign a case",
)
def case_assign(request: HttpRequest, case_id: uuid.UUID, payload: AssignIn) -> Status[Any]:
    """To an oversight officer of the case's office (officers and supervisors)."""
    access.require_manage(request.user)
    case = _case_for_write(request, case_id)
    assignee = selectors.assignable_officers(case).filter(public_id=payload.assignee).first()
    updated = services.case_assign(actor=request.user, case=case, assignee=assignee)
    return Status(200, _json(_case_out(updated), CaseOut))


@router.post(
    "/enforcement/cases/{case_id}/deadline",
    scope=MANAGE,
    response={200: CaseOut},
    summary="Move the deadline",
)
def case_deadline(request: HttpRequest, case_id: uuid.UUID, payload: DeadlineIn) -> Status[Any]:
    access.require_manage(request.user)
    case = _case_for_write(request, case_id)
    updated = services.case_set_deadline(actor=request.user, case=case, due_date=payload.due_date)
    return Status(200, _json(_case_out(updated), CaseOut))


@router.post(
    "/enforcement/cases/{case_id}/close",
    scope=MANAGE,
    response={200: CaseOut},
    summary="Close a case",
)
def case_close(request: HttpRequest, case_id: uuid.UUID, payload: CloseIn) -> Status[Any]:
    """Once no action waits for a decision (409 ``action_pending``)."""
    access.require_manage(request.user)
    case = _case_for_write(request, case_id)
    updated = services.case_close(actor=request.user, case=case, reason=payload.reason)
    return Status(200, _json(_case_out(updated), CaseOut))


@router.post(
    "/enforcement/cases/{case_id}/actions",
    scope=WRITE,
    response={201: ActionOut},
    summary="Propose an administrative action",
)
def action_propose(
    request: HttpRequest, case_id: uuid.UUID, payload: ActionProposeIn
) -> Status[Any]:
    """An oversight officer proposes an action from the list (UU 6/2011
    Art. 75(2), Art. 78) with written grounds; it waits for a supervisor.
    ``Idempotency-Key`` honoured."""
    access.require_work(request.user)

    def handler() -> tuple[int, dict[str, Any]]:
        case = _case_for_write(request, case_id)
        action = actions.action_propose(
            actor=request.user,
            case=case,
            code=payload.action,
            grounds=payload.grounds,
            effective_from=payload.effective_from,
            effective_until=payload.effective_until,
            permit_id=payload.permit,
        )
        return 201, _json(action_out(action), ActionOut)

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


def _decide(request: HttpRequest, action_id: uuid.UUID, reason: str, approve: bool) -> Status[Any]:
    access.require_decide(request.user)

    def handler() -> tuple[int, dict[str, Any]]:
        action = selectors.action_get(actor=request.user, public_id=action_id)
        decide = actions.action_approve if approve else actions.action_reject
        return 200, _json(
            action_out(decide(actor=request.user, action=action, reason=reason)), ActionOut
        )

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.post(
    "/enforcement/actions/{action_id}/approve",
    scope=DECIDE,
    response={200: ActionOut},
    summary="Approve a proposed action",
)
def action_approve(
    request: HttpRequest, action_id: uuid.UUID, payload: ActionDecisionIn
) -> Status[Any]:
    """A supervisor (``oversight:decide``) who did not propose it approves
    with reasons; the action takes effect (a bill for an overstay charge, the
    permit cancelled, an entry ban listed, or the decision recorded)."""
    return _decide(request, action_id, payload.reason, approve=True)


@router.post(
    "/enforcement/actions/{action_id}/reject",
    scope=DECIDE,
    response={200: ActionOut},
    summary="Reject a proposed action",
)
def action_reject(
    request: HttpRequest, action_id: uuid.UUID, payload: ActionDecisionIn
) -> Status[Any]:
    """A supervisor who did not propose it rejects with reasons."""
    return _decide(request, action_id, payload.reason, approve=False)


@router.get(
    "/enforcement/action-types",
    scope=READ,
    response=list[ActionTypeOut],
    summary="Administrative actions",
)
def action_type_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The actions the law allows, with legal basis (data)."""
    access.require_read(request.user)
    return [
        {
            "code": t.code,
            "name_id": t.name_id,
            "name_en": t.name_en,
            "legal_basis": t.legal_basis,
            "needs_approval": t.needs_approval,
            "effect": t.effect,
        }
        for t in selectors.action_types()
    ]


@router.get(
    "/enforcement/dashboard",
    scope=READ,
    response=DashboardOut,
    summary="Oversight dashboard counts",
)
def dashboard_counts(request: HttpRequest) -> dict[str, Any]:
    """Foreigners by kecamatan and nationality, permits ending within 30
    days, open violations by kind, late lodging reports this month and open
    cases by status, for your offices."""
    access.require_read(request.user)
    return dashboard(actor=request.user).as_json()
