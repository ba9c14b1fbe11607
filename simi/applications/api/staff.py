"""The officer workflow for staff: the work queue of their offices, one
application with its identity and documents (audited), and one operation per
step of the workflow."""

import uuid
from collections.abc import Callable
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query
from ninja.pagination import LimitOffsetPagination, paginate

from simi.accounts.actors import Actor
from simi.accounts.models import User
from simi.accounts.scoping import visible_office_ids
from simi.applications import documents as app_documents
from simi.applications import selectors, workflow
from simi.applications.access import DECIDE, LOOK_UP_OFFICES, PROCESS, Visible, may_work
from simi.applications.api.applicant import document_out, extended_permit_out
from simi.applications.codes import Code
from simi.applications.models import Application
from simi.applications.schemas import (
    InterviewIn,
    IssueIn,
    PersonSummaryOut,
    RejectIn,
    RequestDocumentsIn,
    RequirementOut,
    StaffApplicationDetailOut,
    StaffApplicationOut,
    StaffNoteIn,
    StaffTimelineStepOut,
)
from simi.catalog.languages import localized
from simi.core.errors import PermissionDenied
from simi.core.paging import Paged, paged
from simi.core.routing import ScopedRouter
from simi.core.uploads import stored_file_response

router = ScopedRouter(tags=["applications"])


def _next_actions(actor: Actor, app: Application, visible: Visible) -> list[str]:
    return [
        name for name in workflow.STAFF_ACTIONS if workflow.may(actor, app, name, visible=visible)
    ]


def staff_out(
    actor: Actor, app: Application, visible: Visible = LOOK_UP_OFFICES
) -> StaffApplicationOut:
    return StaffApplicationOut(
        id=app.public_id,
        tracking_code=app.tracking_code_display,
        status=app.status,
        service=app.service_type.code,
        office=app.office.code,
        submitted_at=app.submitted_at,
        sla_due_date=app.sla_due_date,
        sla_breached=bool(
            app.sla_due_date
            and app.status in selectors.CLOCK_RUNNING
            and app.sla_due_date < timezone.localdate()
        ),
        next_actions=_next_actions(actor, app, visible),
    )


def staff_detail_out(actor: Actor, app: Application) -> StaffApplicationDetailOut:
    person = app.person
    base = staff_out(actor, app).model_dump()
    return StaffApplicationDetailOut(
        **base,
        person=PersonSummaryOut(
            full_name=person.full_name,
            kind=person.kind,
            nationality=person.nationality,
            nik=person.nik,
            passport_number=person.passport_number,
            birth_date=person.birth_date,
        )
        if person is not None
        else None,
        requirements=[
            RequirementOut(
                code=item["requirement"].code,
                name=str(localized(item["requirement"], "name")),
                mandatory=item["requirement"].is_mandatory,
                present=item["present"],
            )
            for item in app_documents.missing_for_display(app)
        ],
        documents=[document_out(document) for document in app.documents.all()],
        timeline=[
            StaffTimelineStepOut(
                at=step.at,
                status=step.status,
                note_label=str(step.note_label),
                actor_role=step.actor_role,
                actor_name=step.actor_name,
                staff_note=step.staff_note,
            )
            for step in selectors.staff_timeline(app)
        ],
        verified_by=app.verified_by.full_name if app.verified_by else None,
        decided_by=app.decided_by.full_name if app.decided_by else None,
        reject_reason=app.reject_reason or None,
        issued_document=app.issued_document.public_id if app.issued_document else None,
        extends_permit=extended_permit_out(app),
    )


# Reading the queue and an application: officers who process and supervisors
# who decide; each step needs the capability its transition names (workflow).
WORK = (PROCESS, DECIDE)


def _require_worker(request: HttpRequest) -> User:
    """The signed-in officer or supervisor who works on applications."""
    actor = request.user
    if not actor.is_authenticated or not may_work(actor):
        raise PermissionDenied(code=Code.NOT_A_CASE_WORKER)
    return actor


@router.get(
    "/office/applications",
    scope=WORK,
    response=list[StaffApplicationOut],
    summary="Work queue of your office (staff)",
)
@paginate(LimitOffsetPagination)
def office_queue(
    request: HttpRequest,
    queue: Literal["counter", "decide", "waiting", "open"] = "open",
    sla: Literal["breached", "near"] | None = None,
    q: str | None = Query(None, max_length=30, description="A tracking code."),
) -> Paged[StaffApplicationOut]:
    """Applications of your office and its service points, oldest due date
    first. ``sla=breached`` lists those past their service-standard date,
    ``sla=near`` those due today or on the next working day."""
    actor = _require_worker(request)
    found = selectors.applications_for_staff(actor=actor, queue=queue, sla=sla, tracking_code=q)
    visible = visible_office_ids(actor)  # once, not per row
    return paged(found, lambda app: staff_out(actor, app, visible))


@router.get(
    "/office/applications/{application_id}",
    scope=WORK,
    response=StaffApplicationDetailOut,
    summary="One application with its identity and documents (staff, audited)",
)
def office_application(
    request: HttpRequest, application_id: uuid.UUID
) -> StaffApplicationDetailOut:
    _require_worker(request)
    app = selectors.application_get_staff(
        actor=request.user, public_id=application_id, purpose="processing"
    )
    return staff_detail_out(request.user, app)


@router.get(
    "/office/applications/{application_id}/documents/{document_id}/content",
    scope=WORK,
    response={200: None},
    summary="The bytes of an uploaded document (staff, audited)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                    "image/png": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def office_document_content(
    request: HttpRequest, application_id: uuid.UUID, document_id: uuid.UUID
) -> HttpResponse:
    _require_worker(request)
    app = selectors.application_get_staff(
        actor=request.user, public_id=application_id, purpose="verification"
    )
    document = app_documents.document_get(
        actor=request.user, application=app, document_id=document_id
    )
    content = app_documents.document_content(actor=request.user, document=document)
    return stored_file_response(content, document.content_type, name=document.requirement_code)


def _act(
    request: HttpRequest, application_id: uuid.UUID, run: Callable[[Application], object]
) -> StaffApplicationDetailOut:
    _require_worker(request)
    app = selectors.application_get_staff(
        actor=request.user, public_id=application_id, purpose="processing"
    )
    run(app)
    app.refresh_from_db()
    return staff_detail_out(request.user, app)


_ACTION_DOC = (
    "Checked: your role, your office, the current state and, for decisions, "
    "that you did not verify it."
)


@router.post(
    "/office/applications/{application_id}/start-verification",
    scope=PROCESS,
    response=StaffApplicationDetailOut,
    summary="Registered -> verifying",
    description=_ACTION_DOC,
)
def office_start_verification(
    request: HttpRequest, application_id: uuid.UUID
) -> StaffApplicationDetailOut:
    actor = request.user
    return _act(
        request,
        application_id,
        lambda app: workflow.start_verification(actor=actor, application=app),
    )


@router.post(
    "/office/applications/{application_id}/request-documents",
    scope=PROCESS,
    response=StaffApplicationDetailOut,
    summary="Verifying -> more documents requested (with a deadline)",
    description=_ACTION_DOC,
)
def office_request_documents(
    request: HttpRequest, application_id: uuid.UUID, payload: RequestDocumentsIn
) -> StaffApplicationDetailOut:
    actor = request.user
    return _act(
        request,
        application_id,
        lambda app: workflow.request_documents(
            actor=actor,
            application=app,
            requirement_codes=payload.requirement_codes,
            message=payload.message,
            working_days=payload.working_days,
        ),
    )


@router.post(
    "/office/applications/{application_id}/complete-verification",
    scope=PROCESS,
    response=StaffApplicationDetailOut,
    summary="Verifying -> interview (documents complete)",
    description=_ACTION_DOC,
)
def office_complete_verification(
    request: HttpRequest, application_id: uuid.UUID, payload: StaffNoteIn
) -> StaffApplicationDetailOut:
    actor = request.user
    return _act(
        request,
        application_id,
        lambda app: workflow.complete_verification(actor=actor, application=app, note=payload.note),
    )


@router.post(
    "/office/applications/{application_id}/interview",
    scope=PROCESS,
    response=StaffApplicationDetailOut,
    summary="Interview -> awaiting payment (issues the bill)",
    description=_ACTION_DOC,
)
def office_interview(
    request: HttpRequest, application_id: uuid.UUID, payload: InterviewIn
) -> StaffApplicationDetailOut:
    actor = request.user
    return _act(
        request,
        application_id,
        lambda app: workflow.record_interview(
            actor=actor,
            application=app,
            biometrics_reference=payload.biometrics_reference,
            note=payload.note,
        ),
    )


@router.post(
    "/office/applications/{application_id}/approve",
    scope=DECIDE,
    response=StaffApplicationDetailOut,
    summary="Paid -> approved (not by the verifier)",
    description=_ACTION_DOC,
)
def office_approve(
    request: HttpRequest, application_id: uuid.UUID, payload: StaffNoteIn
) -> StaffApplicationDetailOut:
    actor = request.user
    return _act(
        request,
        application_id,
        lambda app: workflow.approve(actor=actor, application=app, note=payload.note),
    )


@router.post(
    "/office/applications/{application_id}/reject",
    scope=DECIDE,
    response=StaffApplicationDetailOut,
    summary="Refuse, with a reason code and written grounds (not by the verifier)",
    description=_ACTION_DOC,
)
def office_reject(
    request: HttpRequest, application_id: uuid.UUID, payload: RejectIn
) -> StaffApplicationDetailOut:
    actor = request.user
    return _act(
        request,
        application_id,
        lambda app: workflow.reject(
            actor=actor, application=app, reason=payload.reason, note=payload.note
        ),
    )


@router.post(
    "/office/applications/{application_id}/issue",
    scope=DECIDE,
    response=StaffApplicationDetailOut,
    summary="Approved -> issued (registers and seals the document)",
    description=_ACTION_DOC,
)
def office_issue(
    request: HttpRequest, application_id: uuid.UUID, payload: IssueIn
) -> StaffApplicationDetailOut:
    actor = request.user
    return _act(
        request,
        application_id,
        lambda app: workflow.issue(
            actor=actor, application=app, document_number=payload.document_number
        ),
    )


@router.post(
    "/office/applications/{application_id}/collect",
    scope=PROCESS,
    response=StaffApplicationDetailOut,
    summary="Issued -> collected",
    description=_ACTION_DOC,
)
def office_collect(request: HttpRequest, application_id: uuid.UUID) -> StaffApplicationDetailOut:
    actor = request.user
    return _act(request, application_id, lambda app: workflow.collect(actor=actor, application=app))
