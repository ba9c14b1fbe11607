"""The applicant's own applications: create, submit, cancel, give details,
upload documents (``Idempotency-Key`` honoured on POST)."""

import uuid
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from ninja import File, Form, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.accounts.household.selectors import household_member_of
from simi.applications import documents as app_documents
from simi.applications import selectors, services, workflow
from simi.applications.access import require_applicant
from simi.applications.decisions import Decision, decision_of, refusal_letter_pdf_bytes
from simi.applications.models import Application, ApplicationDocument, RejectReason
from simi.applications.models import Status as ApplicationStatus
from simi.applications.receipts import receipt_pdf_bytes
from simi.applications.requirements import missing_details, required_details
from simi.applications.schemas import (
    ApplicantIssuedDocumentOut,
    ApplicationCancelIn,
    ApplicationCreateIn,
    ApplicationDecisionOut,
    ApplicationDetailsIn,
    ApplicationDocumentOut,
    ApplicationOut,
    ApplicationSubmitIn,
    ApplicationTaskOut,
    ApplicationTasksOut,
    CollectionOut,
    DecisionLegalBasisOut,
    DecisionNextStepOut,
    DecisionOfficeOut,
    ExtendedPermitOut,
)
from simi.applications.tasklist import application_tasks
from simi.core.errors import NotFound
from simi.core.idempotency import idempotent
from simi.core.paging import Paged, paged
from simi.core.routing import ScopedRouter
from simi.core.schemas import MissingItemOut
from simi.core.uploads import read_limited
from simi.issuance.printing import document_seal_text
from simi.oversight.models import StayPermit

router = ScopedRouter(tags=["applications"])


def permit_out(permit: StayPermit) -> ExtendedPermitOut:
    return ExtendedPermitOut(
        id=permit.public_id,
        number=permit.number or "",
        kind=permit.kind,
        valid_from=permit.valid_from,
        valid_until=permit.valid_until,
        status=permit.status,
    )


def extended_permit_out(app: Application) -> ExtendedPermitOut | None:
    permit = app.extends_permit
    return permit_out(permit) if permit is not None else None


def _member_id(app: Application) -> uuid.UUID | None:
    """The household member the application is for: annotated by the
    applicant's selectors, looked up for an application a service returned."""
    if hasattr(app, "member_public_id"):
        return app.member_public_id
    member = household_member_of(account_id=app.applicant_id, person_id=app.person_id)
    return member.public_id if member is not None else None


def application_out(app: Application) -> ApplicationOut:
    return ApplicationOut(
        id=app.public_id,
        status=app.status,
        tracking_code=app.tracking_code_display or None,
        service=app.service_type.code,
        office=app.office.code,
        member=_member_id(app),
        fee_total_at_submit=app.fee_total_at_submit,
        sla_working_days=app.sla_working_days,
        sla_due_date=app.sla_due_date,
        created_at=app.created_at,
        submitted_at=app.submitted_at,
        cancelled_at=app.cancelled_at,
        details_required=required_details(app.service_type),
        details_missing=missing_details(app),
        extends_permit=extended_permit_out(app),
    )


def _json(app: Application) -> dict[str, Any]:
    return application_out(app).model_dump(mode="json")


@router.get(
    "/applications", scope="profile", response=list[ApplicationOut], summary="Your applications"
)
@paginate(LimitOffsetPagination)
def application_list(request: HttpRequest) -> Paged[ApplicationOut]:
    """Your own applications, newest first."""
    return paged(selectors.applications_own(actor=request.user), application_out)


@router.post(
    "/applications", scope="profile", response={201: ApplicationOut}, summary="Start an application"
)
def application_create(request: HttpRequest, payload: ApplicationCreateIn) -> Status[Any]:
    """Create a draft (applicants only). Send an ``Idempotency-Key`` header so a
    retry returns the first answer instead of a second draft; reusing a key
    for a different body answers 422 ``idempotency_key_reused``."""
    require_applicant(request.user)

    def handler() -> tuple[int, dict[str, Any]]:
        app = services.application_create(
            actor=request.user,
            service_code=payload.service,
            office_code=payload.office,
            member_id=payload.member,
        )
        return 201, _json(app)

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.get(
    "/applications/{application_id}",
    scope="profile",
    response=ApplicationOut,
    summary="One application",
)
def application_get(request: HttpRequest, application_id: uuid.UUID) -> ApplicationOut:
    """Someone else's application answers 404, like a missing one."""
    return application_out(
        selectors.application_get_own(actor=request.user, public_id=application_id)
    )


@router.get(
    "/applications/{application_id}/tasks",
    scope="profile",
    response=ApplicationTasksOut,
    summary="What is done and what is left",
)
def application_tasks_get(request: HttpRequest, application_id: uuid.UUID) -> ApplicationTasksOut:
    """The task list of the application's page: ``identity``, ``details``,
    ``documents``, ``visit`` (booked after submission) and ``declaration``,
    each ``completed``, ``incomplete``, ``cannot_start`` or ``not_needed``,
    with ``missing``: what ``POST .../submit`` would refuse it for now (the
    same ``{item, kind, label}`` entries as its 409 ``application_incomplete``).
    Someone else's application answers 404, like a missing one."""
    app = selectors.application_get_own(actor=request.user, public_id=application_id)
    tasks = application_tasks(app)
    return ApplicationTasksOut(
        tasks=[
            ApplicationTaskOut(
                task=task.code,
                label=task.label,
                status=task.status,
                status_label=task.status_label,
                href=task.href or None,
            )
            for task in tasks.tasks
        ],
        missing=[
            MissingItemOut(item=item.item, kind=item.kind, label=item.label)
            for item in tasks.missing
        ],
        ready_to_submit=app.is_draft and tasks.ready_to_submit,
    )


@router.post(
    "/applications/{application_id}/submit",
    scope="profile",
    response={200: ApplicationOut},
    summary="Submit a draft",
)
def application_submit(
    request: HttpRequest, application_id: uuid.UUID, payload: ApplicationSubmitIn
) -> Status[Any]:
    """Draft -> registered: fixes the fee in force today and the due date in
    working days, and gives the tracking code. The body carries the
    applicant's declaration (``{"declaration": true}``). A draft that still
    lacks a required document or detail answers 409 ``application_incomplete``
    with ``missing``: one ``{item, kind, label}`` per document (``kind``
    ``document``, ``item`` its requirement code) or detail (``kind``
    ``field``, ``item`` the field of ``PUT .../details``); nothing is
    changed. ``Idempotency-Key`` honoured."""

    def handler() -> tuple[int, dict[str, Any]]:
        app = selectors.application_get_own(actor=request.user, public_id=application_id)
        submitted = services.application_submit(
            actor=request.user, application=app, declared=payload.declaration
        )
        return 200, _json(submitted)

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.post(
    "/applications/{application_id}/cancel",
    scope="profile",
    response={200: ApplicationOut},
    summary="Cancel an application",
)
def application_cancel(
    request: HttpRequest, application_id: uuid.UUID, payload: ApplicationCancelIn
) -> Status[Any]:
    """Only a draft or a registered application can be cancelled online.
    ``Idempotency-Key`` honoured."""

    def handler() -> tuple[int, dict[str, Any]]:
        app = selectors.application_get_own(actor=request.user, public_id=application_id)
        cancelled = services.application_cancel(
            actor=request.user, application=app, reason=payload.reason
        )
        return 200, _json(cancelled)

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.put(
    "/applications/{application_id}/details",
    scope="profile",
    response=ApplicationOut,
    summary="Give the details the service asks for",
)
def application_details(
    request: HttpRequest, application_id: uuid.UUID, payload: ApplicationDetailsIn
) -> ApplicationOut:
    """Family card number (citizens' passports), sponsor (foreigners' stay
    permits; stored encrypted) and, for an extension, the permit it extends:
    the id of one of ``GET .../permits-to-extend`` (422
    ``permit_to_extend_unknown`` for a permit that is not yours or not of the
    kind extended, ``permit_to_extend_closed`` for a cancelled or extended
    one, ``permit_to_extend_ended`` for one that ended too long before the
    application). Repeating the same request changes nothing new."""
    app = selectors.application_get_own(actor=request.user, public_id=application_id)
    saved = services.application_details_save(
        actor=request.user, application=app, **payload.model_dump(exclude_none=True)
    )
    return application_out(saved)


@router.get(
    "/applications/{application_id}/permits-to-extend",
    scope="profile",
    response=list[ExtendedPermitOut],
    summary="Your permits this extension may extend",
)
def permits_to_extend(request: HttpRequest, application_id: uuid.UUID) -> list[ExtendedPermitOut]:
    """For an extension (``extends_permit`` in ``details_required``): your own
    permits of the kind it extends, current or ended at most the overstay
    threshold (60 days) before the day of the application, latest first.
    Choose one and send its id as ``extends_permit``. Empty for a service that
    extends nothing, or when you hold no such permit."""
    app = selectors.application_get_own(actor=request.user, public_id=application_id)
    return [permit_out(permit) for permit in selectors.permits_to_extend(application=app)]


# --- documents (the applicant) ---------------------------------------------------


def document_out(document: ApplicationDocument) -> ApplicationDocumentOut:
    return ApplicationDocumentOut(
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
    scope="profile",
    response=list[ApplicationDocumentOut],
    summary="Documents of your application",
)
def document_list(request: HttpRequest, application_id: uuid.UUID) -> list[ApplicationDocumentOut]:
    app = selectors.application_get_own(actor=request.user, public_id=application_id)
    return [document_out(document) for document in app.documents.all()]


@router.post(
    "/applications/{application_id}/documents",
    scope="profile",
    response={201: ApplicationDocumentOut},
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
    scope="profile",
    response={204: None},
    summary="Remove a document not yet reviewed",
)
def document_delete(
    request: HttpRequest, application_id: uuid.UUID, document_id: uuid.UUID
) -> Status[None]:
    app = selectors.application_get_own(actor=request.user, public_id=application_id)
    document = app_documents.document_get(
        actor=request.user, application=app, document_id=document_id
    )
    app_documents.document_remove(actor=request.user, document=document)
    return Status(204, None)


@router.post(
    "/applications/{application_id}/documents-sent",
    scope="profile",
    response={200: ApplicationOut},
    summary="Tell the office the documents asked for are uploaded",
)
def documents_sent(request: HttpRequest, application_id: uuid.UUID) -> Status[Any]:
    """More documents requested -> verifying. Every document asked for must have
    a file uploaded since the request. ``Idempotency-Key`` honoured."""

    def handler() -> tuple[int, dict[str, Any]]:
        app = selectors.application_get_own(actor=request.user, public_id=application_id)
        return 200, _json(workflow.documents_sent(actor=request.user, application=app))

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


# --- decisions and issued documents (the applicant) ---------------------------------

_PDF = {
    "responses": {
        200: {
            "description": "The PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def decision_out(app: Application, decision: Decision) -> ApplicationDecisionOut:
    basis = decision.legal_basis
    collection = decision.collection
    refused = decision.outcome == "refused"
    return ApplicationDecisionOut(
        application_id=app.public_id,
        tracking_code=app.tracking_code_display,
        outcome=decision.outcome,
        decided_on=decision.decided_on,
        office=DecisionOfficeOut(**asdict(decision.office)),
        reason=RejectReason(decision.reason_code) if decision.reason_code else None,
        reason_label=decision.reason_label,
        legal_basis=DecisionLegalBasisOut(text=basis.text, source=basis.source) if basis else None,
        next_steps=[DecisionNextStepOut(**asdict(step)) for step in decision.next_steps],
        letter_pdf=(f"/api/v1/applications/{app.public_id}/decision/letter" if refused else None),
        collection=(
            CollectionOut(
                where=collection.where,
                when=collection.when,
                collect_by=collection.collect_by,
                bring=collection.bring,
            )
            if collection is not None
            else None
        ),
    )


@router.get(
    "/applications/{application_id}/decision",
    scope="profile",
    response=ApplicationDecisionOut,
    summary="The decision on your application and what you can do next",
)
def application_decision(request: HttpRequest, application_id: uuid.UUID) -> ApplicationDecisionOut:
    """Once a supervisor has decided: a refusal with its reason, the legal
    basis of that reason and the next steps (apply again, ask for
    reconsideration, ask a question); an approval with the collection
    instructions while the document waits at the office. 404 before a
    decision, and for someone else's application. In the language of the
    request (``Accept-Language``: id or en)."""
    app = selectors.application_get_own(actor=request.user, public_id=application_id)
    decision = decision_of(app)
    if decision is None:
        raise NotFound(gettext("No decision has been made on this application yet."))
    return decision_out(app, decision)


@router.get(
    "/applications/{application_id}/decision/letter",
    scope="profile",
    response={200: None},
    summary="The refusal letter (PDF)",
    openapi_extra=_PDF,
)
def application_decision_letter(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    """The letter of a refusal: reason, legal basis, date, office and next
    steps, in the language of the request. 404 unless the application is refused."""
    app = selectors.application_get_own(actor=request.user, public_id=application_id)
    if app.status != ApplicationStatus.REJECTED:
        raise NotFound(gettext("This application has no refusal letter."))
    tracking_url = request.build_absolute_uri(reverse("applications:track"))
    return _pdf_response(
        refusal_letter_pdf_bytes(app, tracking_url=tracking_url),
        f"simi-{app.tracking_code}-keputusan.pdf",
    )


def _printable(app: Application) -> bool:
    return app.status in (ApplicationStatus.ISSUED, ApplicationStatus.COLLECTED)


def issued_document_out(request: HttpRequest, app: Application) -> ApplicantIssuedDocumentOut:
    document = app.issued_document
    assert document is not None  # the selector lists applications with one
    return ApplicantIssuedDocumentOut(
        id=document.public_id,
        application_id=app.public_id,
        tracking_code=app.tracking_code_display,
        kind=document.kind,
        number=document.number,
        status=document.status,
        issued_at=document.issued_at,
        valid_from=document.valid_from,
        valid_until=document.valid_until,
        seal=document_seal_text(document),
        verify_url=request.build_absolute_uri(reverse("issuance:verify")),
        pdf=f"/api/v1/issued-documents/{document.public_id}/pdf" if _printable(app) else None,
    )


@router.get(
    "/issued-documents",
    scope="profile",
    response=list[ApplicantIssuedDocumentOut],
    summary="Documents issued to you",
)
@paginate(LimitOffsetPagination)
def issued_document_list(request: HttpRequest) -> Paged[ApplicantIssuedDocumentOut]:
    """The documents issued on your applications, newest first, each with its
    number, validity and signed seal (check it at ``verify_url``)."""
    return paged(
        selectors.applications_with_issued_documents(actor=request.user),
        lambda app: issued_document_out(request, app),
    )


@router.get(
    "/issued-documents/{document_id}/pdf",
    scope="profile",
    response={200: None},
    summary="The collection receipt of a document issued to you (PDF)",
    openapi_extra=_PDF,
)
def issued_document_pdf(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    """The receipt with the document's QR seal, verifiable by anyone at the
    verification page. 404 for someone else's document, and once the
    document is withdrawn (not collected in time)."""
    app = selectors.application_with_issued_document(actor=request.user, document_id=document_id)
    if not _printable(app):
        raise NotFound()
    verify_url = request.build_absolute_uri(reverse("issuance:verify"))
    return _pdf_response(
        receipt_pdf_bytes(app, verify_url=verify_url), f"simi-{app.tracking_code}.pdf"
    )
