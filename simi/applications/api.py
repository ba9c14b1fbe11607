"""Applications API: the applicant's own applications (create, submit,
cancel; Idempotency-Key honoured on POST) and public tracking."""

import json
import uuid
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Query, Router, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import NinjaJSONEncoder, Status

from simi.accounts.scoping import visible_office_ids
from simi.applications import documents as app_documents
from simi.applications import selectors, services, workflow
from simi.applications.models import Application, ApplicationDocument
from simi.applications.schemas import (
    ApplicationCancelIn,
    ApplicationCreateIn,
    ApplicationDetailsIn,
    ApplicationOut,
    DocumentOut,
    InterviewIn,
    IssueIn,
    NoteIn,
    PersonSummaryOut,
    RejectIn,
    RequestDocumentsIn,
    RequirementOut,
    StaffApplicationDetailOut,
    StaffApplicationOut,
    StaffTimelineStepOut,
    TrackingOut,
)
from simi.applications.selectors import TRACK_LIMIT, TRACK_WINDOW_SECONDS
from simi.catalog.languages import localized
from simi.core.errors import PermissionDenied, RateLimited
from simi.core.idempotency import idempotent
from simi.core.paging import Paged, paged
from simi.core.ratelimit import client_ip, hit
from simi.core.scopes import require_scope
from simi.core.uploads import read_limited

router = Router(tags=["applications"])


def application_out(app: Application) -> ApplicationOut:
    return ApplicationOut(
        id=app.public_id,
        status=app.status,
        tracking_code=app.tracking_code_display or None,
        service=app.service_type.code,
        office=app.office.code,
        fee_total_at_submit=app.fee_total_at_submit,
        sla_working_days=app.sla_working_days,
        sla_due_date=app.sla_due_date,
        created_at=app.created_at,
        submitted_at=app.submitted_at,
        cancelled_at=app.cancelled_at,
        details_required=services.required_details(app.service_type),
        details_missing=services.missing_details(app),
    )


def _json(app: Application) -> dict[str, Any]:
    return application_out(app).model_dump(mode="json")


@router.get("/applications", response=list[ApplicationOut], summary="Your applications")
@paginate(LimitOffsetPagination)
def application_list(request: HttpRequest) -> Paged[ApplicationOut]:
    """Your own applications, newest first."""
    require_scope(request, "profile")
    return paged(selectors.applications_own(actor=request.user), application_out)


@router.post("/applications", response={201: ApplicationOut}, summary="Start an application")
def application_create(request: HttpRequest, payload: ApplicationCreateIn) -> Status[Any]:
    """Create a draft (applicants only). Send an ``Idempotency-Key`` header so a
    retry returns the first answer instead of a second draft; reusing a key
    for a different body answers 422 ``idempotency_key_reused``."""
    require_scope(request, "profile")
    services.require_applicant(request.user)

    def handler() -> tuple[int, dict[str, Any]]:
        app = services.application_create(
            actor=request.user, service_code=payload.service, office_code=payload.office
        )
        return 201, _json(app)

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.get("/applications/{application_id}", response=ApplicationOut, summary="One application")
def application_get(request: HttpRequest, application_id: uuid.UUID) -> ApplicationOut:
    """Someone else's application answers 404, like a missing one."""
    require_scope(request, "profile")
    return application_out(
        selectors.application_get_own(actor=request.user, public_id=application_id)
    )


@router.post(
    "/applications/{application_id}/submit",
    response={200: ApplicationOut},
    summary="Submit a draft",
)
def application_submit(request: HttpRequest, application_id: uuid.UUID) -> Status[Any]:
    """Draft -> registered: fixes the fee in force today and the due date in
    working days, and gives the tracking code. ``Idempotency-Key`` honoured."""
    require_scope(request, "profile")

    def handler() -> tuple[int, dict[str, Any]]:
        app = selectors.application_get_own(actor=request.user, public_id=application_id)
        return 200, _json(services.application_submit(actor=request.user, application=app))

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.post(
    "/applications/{application_id}/cancel",
    response={200: ApplicationOut},
    summary="Cancel an application",
)
def application_cancel(
    request: HttpRequest, application_id: uuid.UUID, payload: ApplicationCancelIn
) -> Status[Any]:
    """Only a draft or a registered application can be cancelled online.
    ``Idempotency-Key`` honoured."""
    require_scope(request, "profile")

    def handler() -> tuple[int, dict[str, Any]]:
        app = selectors.application_get_own(actor=request.user, public_id=application_id)
        cancelled = services.application_cancel(
            actor=request.user, application=app, reason=payload.reason
        )
        return 200, _json(cancelled)

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.get(
    "/track/{tracking_code}",
    response=TrackingOut,
    auth=None,
    summary="Track an application (public)",
)
def track(request: HttpRequest, tracking_code: str) -> HttpResponse:
    """The status timeline of an application by its tracking code, without
    sign-in: no personal data beyond the holder's initials. A mistyped code
    answers 422 (check characters), an unknown one 404; at most 30 look-ups a
    minute per address (429)."""
    if not hit("track", client_ip(request), limit=TRACK_LIMIT, window_seconds=TRACK_WINDOW_SECONDS):
        raise RateLimited()
    view = selectors.application_track(tracking_code)
    # The busiest public endpoint answers its JSON itself, in the encoding ninja
    # gives every other answer, without a validation pass over values that the
    # selector already typed; tests/test_tracking.py checks the answer against
    # TrackingOut and the OpenAPI contract tests check it against the schema.
    body = {
        "tracking_code": view.tracking_code,
        "status": view.status,
        "status_label": str(view.status_label),
        "service_name": view.service_name,
        "office_name": view.office_name,
        "holder_initials": view.holder_initials,
        "submitted_at": view.submitted_at,
        "sla_due_date": view.sla_due_date,
        "timeline": [
            {
                "at": step.at,
                "status": step.status,
                "status_label": str(step.status_label),
                "note": step.note,
                "note_label": str(step.note_label),
            }
            for step in view.timeline
        ],
    }
    return HttpResponse(
        json.dumps(body, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8"
    )


@router.put(
    "/applications/{application_id}/details",
    response=ApplicationOut,
    summary="Give the details the service asks for",
)
def application_details(
    request: HttpRequest, application_id: uuid.UUID, payload: ApplicationDetailsIn
) -> ApplicationOut:
    """Family card number (citizens' passports) or sponsor (foreigners' stay
    permits); stored encrypted. Repeating the same request changes nothing new."""
    require_scope(request, "profile")
    app = selectors.application_get_own(actor=request.user, public_id=application_id)
    saved = services.application_details_save(
        actor=request.user, application=app, **payload.model_dump(exclude_none=True)
    )
    return application_out(saved)


# --- documents (the applicant) ---------------------------------------------------


def document_out(document: ApplicationDocument) -> DocumentOut:
    return DocumentOut(
        id=document.public_id,
        requirement_code=document.requirement_code,
        content_type=document.content_type,
        size=document.size,
        pages=document.pages,
        sha256=document.sha256,
        status=document.status,
        uploaded_at=document.uploaded_at,
    )


@router.get(
    "/applications/{application_id}/documents",
    response=list[DocumentOut],
    summary="Documents of your application",
)
def document_list(request: HttpRequest, application_id: uuid.UUID) -> list[DocumentOut]:
    require_scope(request, "profile")
    app = selectors.application_get_own(actor=request.user, public_id=application_id)
    return [document_out(document) for document in app.documents.all()]


@router.post(
    "/applications/{application_id}/documents",
    response={201: DocumentOut},
    summary="Upload a document",
)
def document_upload(
    request: HttpRequest,
    application_id: uuid.UUID,
    requirement_code: Form[str],
    file: File[UploadedFile],
) -> Status[Any]:
    """Multipart upload of one file (PDF, JPEG or PNG by content, at most 5 MB)
    for one required document. The same file sent again for the same document
    answers with the existing record."""
    require_scope(request, "profile")
    app = selectors.application_get_own(actor=request.user, public_id=application_id)
    content = read_limited(file, declared_size=file.size)
    document = app_documents.document_upload(
        actor=request.user,
        application=app,
        requirement_code=requirement_code[:60],
        content=content,
    )
    return Status(201, document_out(document))


@router.delete(
    "/applications/{application_id}/documents/{document_id}",
    response={204: None},
    summary="Remove a document not yet reviewed",
)
def document_delete(
    request: HttpRequest, application_id: uuid.UUID, document_id: uuid.UUID
) -> Status[None]:
    require_scope(request, "profile")
    app = selectors.application_get_own(actor=request.user, public_id=application_id)
    document = app_documents.document_get(
        actor=request.user, application=app, document_id=document_id
    )
    app_documents.document_remove(actor=request.user, document=document)
    return Status(204, None)


@router.post(
    "/applications/{application_id}/documents-sent",
    response={200: ApplicationOut},
    summary="Tell the office the documents asked for are uploaded",
)
def documents_sent(request: HttpRequest, application_id: uuid.UUID) -> Status[Any]:
    """More documents requested -> verifying. Every document asked for must have
    a file uploaded since the request. ``Idempotency-Key`` honoured."""
    require_scope(request, "profile")

    def handler() -> tuple[int, dict[str, Any]]:
        app = selectors.application_get_own(actor=request.user, public_id=application_id)
        return 200, _json(workflow.documents_sent(actor=request.user, application=app))

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


# --- the officer workflow ----------------------------------------------------------


def _next_actions(actor: Any, app: Application, visible: Any) -> list[str]:
    return [
        name for name in workflow.STAFF_ACTIONS if workflow.may(actor, app, name, visible=visible)
    ]


def staff_out(
    actor: Any, app: Application, visible: Any = workflow.LOOK_UP_OFFICES
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


def staff_detail_out(actor: Any, app: Application) -> StaffApplicationDetailOut:
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
    )


def _require_worker(request: HttpRequest) -> None:
    require_scope(request, "staff:read")
    if not selectors.may_work(request.user):
        raise PermissionDenied(code="not_a_case_worker")


@router.get(
    "/office/applications",
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
    _require_worker(request)
    found = selectors.applications_for_staff(
        actor=request.user, queue=queue, sla=sla, tracking_code=q
    )
    actor = request.user
    visible = visible_office_ids(actor)  # type: ignore[arg-type]  # once, not per row
    return paged(found, lambda app: staff_out(actor, app, visible))


@router.get(
    "/office/applications/{application_id}",
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
    response = HttpResponse(content, content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _act(request: HttpRequest, application_id: uuid.UUID, run: Any) -> StaffApplicationDetailOut:
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
    response=StaffApplicationDetailOut,
    summary="Verifying -> interview (documents complete)",
    description=_ACTION_DOC,
)
def office_complete_verification(
    request: HttpRequest, application_id: uuid.UUID, payload: NoteIn
) -> StaffApplicationDetailOut:
    actor = request.user
    return _act(
        request,
        application_id,
        lambda app: workflow.complete_verification(actor=actor, application=app, note=payload.note),
    )


@router.post(
    "/office/applications/{application_id}/interview",
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
    response=StaffApplicationDetailOut,
    summary="Paid -> approved (not by the verifier)",
    description=_ACTION_DOC,
)
def office_approve(
    request: HttpRequest, application_id: uuid.UUID, payload: NoteIn
) -> StaffApplicationDetailOut:
    actor = request.user
    return _act(
        request,
        application_id,
        lambda app: workflow.approve(actor=actor, application=app, note=payload.note),
    )


@router.post(
    "/office/applications/{application_id}/reject",
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
    response=StaffApplicationDetailOut,
    summary="Issued -> collected",
    description=_ACTION_DOC,
)
def office_collect(request: HttpRequest, application_id: uuid.UUID) -> StaffApplicationDetailOut:
    actor = request.user
    return _act(request, application_id, lambda app: workflow.collect(actor=actor, application=app))
