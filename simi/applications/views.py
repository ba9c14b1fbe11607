"""Applicant pages and the public tracking page: forms in, the same
services and selectors as the API underneath."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simi.accounts.household.selectors import household_member_of, household_members_own
from simi.accounts.models import HouseholdMember
from simi.applications import documents as app_documents
from simi.applications import selectors, services, workflow
from simi.applications.access import can_apply
from simi.applications.billing import application_bills
from simi.applications.decisions import decision_of, refusal_letter_pdf_bytes
from simi.applications.forms import (
    FOR_ME,
    ApplicationNewForm,
    CancelForm,
    DetailsForm,
    DocumentUploadForm,
    TrackForm,
)
from simi.applications.guardians import application_documents
from simi.applications.models import Application, DocumentRequest, Status
from simi.applications.requirements import EXTENDS_PERMIT, missing_details, required_details
from simi.applications.selectors import TRACK_LIMIT, TRACK_WINDOW_SECONDS
from simi.applications.tasklist import application_tasks
from simi.applications.uploadpage import upload_problem, upload_texts
from simi.catalog.languages import localized
from simi.catalog.selectors import fee_in_force, services_offered, sla_in_force
from simi.core import errors, formkeys
from simi.core.formerrors import add_service_error, posted
from simi.core.money import format_rupiah
from simi.core.ratelimit import client_ip, hit
from simi.core.uploads import read_limited, stored_file_response
from simi.people.models import Person


def error_text(exc: errors.SimiError) -> str:
    """The field messages when there are any (they say what to do), else the message."""
    parts = [str(message) for messages_ in exc.fields.values() for message in messages_]
    return " ".join(parts) if parts else str(exc.message)


def _own_or_404(request: HttpRequest, application_id: uuid.UUID) -> Application:
    try:
        return selectors.application_get_own(actor=request.user, public_id=application_id)
    except errors.NotFound:
        raise Http404 from None


def _choices(kinds: set[str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The services open to any of ``kinds`` of person (the holder's and the
    household members'), and the offices that offer them."""
    offered: dict[str, Any] = {}
    for kind in sorted(kinds):
        for service in services_offered(applicant_category=kind).prefetch_related("offices"):
            offered.setdefault(service.code, service)
    service_choices = [(s.code, localized(s, "name")) for s in offered.values()]
    offices = {o.code: o.name for s in offered.values() for o in s.offices.all() if o.is_active}
    return service_choices, sorted(offices.items())


def _people_choices(person: Person, members: list[HouseholdMember]) -> list[tuple[str, str]]:
    """ "For whom" on the new-application form: none without household members."""
    if not members:
        return []
    return [
        (FOR_ME, _("Me (%(name)s)") % {"name": person.full_name}),
        *(
            (
                str(member.public_id),
                f"{member.person.full_name} ({member.get_relationship_display()})",
            )
            for member in members
        ),
    ]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated or not can_apply(user):
        raise PermissionDenied
    person = user.person
    if person is None:
        return render(request, "applications/new.html", {"form": None})
    members = list(household_members_own(actor=user))
    service_choices, office_choices = _choices({person.kind, *(m.person.kind for m in members)})
    # "Apply for this service" on a service page arrives with the service chosen,
    # "Apply for" on the family page with the member chosen.
    wanted = request.GET.get("service", "")
    initial = {"service": wanted} if wanted in {code for code, _label in service_choices} else {}
    people = _people_choices(person, members)
    wanted_for = request.GET.get("for", "")
    if people and wanted_for in {value for value, _label in people}:
        initial["applies_for"] = wanted_for
    form = ApplicationNewForm(
        posted(request),
        services=service_choices,
        offices=office_choices,
        people=people,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():

            def create() -> str:
                applies_for = form.cleaned_data.get("applies_for") or FOR_ME
                app = services.application_create(
                    actor=user,
                    service_code=form.cleaned_data["service"],
                    office_code=form.cleaned_data["office"],
                    member_id=None if applies_for == FOR_ME else uuid.UUID(applies_for),
                )
                return reverse("applications:detail", args=[app.public_id])

            try:
                # a second tap with the same form key lands on the first draft
                location = formkeys.once(request, user, create)
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Your draft is saved. Check it, then submit it."))
                return redirect(location)
        else:
            status = 422
    context = {"form": form, "form_key": formkeys.form_key(request)}
    return render(request, "applications/new.html", context, status=status)


def _detail_page(
    request: HttpRequest,
    app: Application,
    cancel_form: CancelForm,
    status: int = 200,
    upload_form: DocumentUploadForm | None = None,
    details_form: DetailsForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    if app.is_draft:
        fees = fee_in_force(app.service_type, today)
        fee_text = format_rupiah(fees.total) if fees.is_set else None
        sla = sla_in_force(app.service_type, today)
        sla_days = sla.working_days if sla is not None else None
    else:
        fee = app.fee_total_at_submit
        fee_text = format_rupiah(fee) if fee is not None else None
        sla_days = app.sla_working_days
    uploaded: dict[str, list] = {}
    for upload in app.documents.all():
        uploaded.setdefault(upload.requirement_code, []).append(upload)
    documents = [
        {
            "code": doc.code,
            "name": localized(doc, "name"),
            "condition": localized(doc, "condition"),
            "mandatory": doc.is_mandatory,
            "uploads": uploaded.get(doc.code, []),
        }
        for doc in application_documents(app)
    ]
    open_request = app.document_requests.filter(state=DocumentRequest.State.OPEN).first()
    names = {doc["code"]: doc["name"] for doc in documents}
    context = {
        "app": app,
        # a draft's task list: what is done, what is left, where to do it
        "tasks": application_tasks(app) if app.is_draft else None,
        "member": household_member_of(account_id=app.applicant_id, person_id=app.person_id),
        "can_upload": app.status in app_documents.APPLICANT_UPLOAD_STATES,
        "can_remove": app.status in (Status.DRAFT, Status.MORE_DOCUMENTS_REQUESTED),
        "open_request": open_request,
        "requested_documents": [
            names.get(code, code)
            for code in (open_request.requirement_codes if open_request else [])
        ],
        "decision": decision_of(app),
        "details_form": details_form or _details_form(app),
        "details_missing": missing_details(app),
        "can_edit_details": app.status in services.DETAIL_STATES
        and bool(required_details(app.service_type)),
        "can_book": app.status
        not in (Status.DRAFT, Status.CANCELLED, Status.REJECTED, Status.COLLECTED),
        "upload_form": upload_form or DocumentUploadForm(),
        "upload_problem": upload_problem(upload_form, {str(doc["code"]) for doc in documents}),
        "upload_texts": upload_texts(),
        "has_receipt": app.issued_document_id is not None
        and app.status in (Status.ISSUED, Status.COLLECTED),
        "service_name": localized(app.service_type, "name"),
        "fee_text": fee_text,
        "sla_days": sla_days,
        "documents": documents,
        "timeline": selectors.application_timeline(app),
        "cancel_form": cancel_form,
        # its newest bill: pay it, or its receipt number once paid
        "latest_bill": application_bills(app).select_related("payment").first(),
    }
    if context["has_receipt"] and app.issued_document is not None:
        from simi.issuance.printing import document_seal_text, seal_qr_data_uri

        seal_text = document_seal_text(app.issued_document)
        context["seal_text"] = seal_text
        context["seal_qr"] = seal_qr_data_uri(seal_text)
    return render(request, "applications/detail.html", context, status=status)


@never_cache
@login_required
@require_GET
def application_detail(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    return _detail_page(request, _own_or_404(request, application_id), CancelForm())


@never_cache
@login_required
@require_POST
def application_cancel(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    app = _own_or_404(request, application_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, app, form, status=422)
    try:
        services.application_cancel(
            actor=request.user, application=app, reason=form.cleaned_data["reason"]
        )
    except errors.SimiError as exc:
        add_service_error(form, exc)
        return _detail_page(request, app, form, status=exc.status)
    messages.success(request, _("Your application is cancelled."))
    return redirect("applications:detail", application_id=app.public_id)


@never_cache
@require_GET
def track(request: HttpRequest) -> HttpResponse:
    """Public: the status timeline by tracking code, initials only."""
    form = TrackForm(request.GET or None)
    result = None
    status = 200
    if request.GET and form.is_valid():
        if not hit(
            "track", client_ip(request), limit=TRACK_LIMIT, window_seconds=TRACK_WINDOW_SECONDS
        ):
            form.add_error(None, str(errors.RateLimited().message))
            status = 429
        else:
            try:
                result = selectors.application_track(form.cleaned_data["code"])
            except errors.ValidationFailed as exc:
                exc.fields = {"code": [m for msgs in exc.fields.values() for m in msgs]}
                add_service_error(form, exc)
                status = exc.status
            except errors.NotFound:
                form.add_error("code", _("We found no application with this tracking code."))
                status = 404
    elif request.GET:
        status = 422
    return render(
        request, "applications/track.html", {"form": form, "result": result}, status=status
    )


@never_cache
@login_required
@require_POST
def document_upload(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    app = _own_or_404(request, application_id)
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail_page(request, app, CancelForm(), status=422, upload_form=form)
    upload = form.cleaned_data["file"]
    try:
        content = read_limited(upload, declared_size=upload.size)
        app_documents.document_upload(
            actor=request.user,
            application=app,
            requirement_code=form.cleaned_data["requirement_code"],
            content=content,
        )
    except errors.SimiError as exc:
        add_service_error(form, exc)
        return _detail_page(request, app, CancelForm(), status=exc.status, upload_form=form)
    messages.success(request, _("The file is uploaded."))
    return redirect("applications:detail", application_id=app.public_id)


@never_cache
@login_required
@require_GET
def document_view(
    request: HttpRequest, application_id: uuid.UUID, document_id: uuid.UUID
) -> HttpResponse:
    app = _own_or_404(request, application_id)
    try:
        document = app_documents.document_get(
            actor=request.user, application=app, document_id=document_id
        )
        content = app_documents.document_content(actor=request.user, document=document)
    except errors.NotFound:
        raise Http404 from None
    return _inline_file(content, document.content_type, document.requirement_code)


def _inline_file(content: bytes, content_type: str, name: str) -> HttpResponse:
    return stored_file_response(content, content_type, name=name)


@never_cache
@login_required
@require_POST
def document_remove(
    request: HttpRequest, application_id: uuid.UUID, document_id: uuid.UUID
) -> HttpResponse:
    app = _own_or_404(request, application_id)
    try:
        document = app_documents.document_get(
            actor=request.user, application=app, document_id=document_id
        )
        app_documents.document_remove(actor=request.user, document=document)
    except errors.NotFound:
        raise Http404 from None
    except errors.SimiError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The file is removed."))
    return redirect("applications:detail", application_id=app.public_id)


@never_cache
@login_required
@require_POST
def documents_sent(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    app = _own_or_404(request, application_id)
    try:
        workflow.documents_sent(actor=request.user, application=app)
    except errors.SimiError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Thank you. The office is checking your documents again."))
    return redirect("applications:detail", application_id=app.public_id)


@never_cache
@login_required
@require_GET
def receipt_pdf(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    """The collection receipt with the document's QR seal, as a PDF to print."""
    from simi.applications.receipts import receipt_pdf_bytes

    app = _own_or_404(request, application_id)
    if app.issued_document_id is None or app.status not in (Status.ISSUED, Status.COLLECTED):
        raise Http404
    content = receipt_pdf_bytes(app, verify_url=request.build_absolute_uri("/verifikasi/"))
    response = HttpResponse(content, content_type="application/pdf")
    name = f"simi-{app.tracking_code}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _refused_own_or_404(request: HttpRequest, application_id: uuid.UUID) -> Application:
    app = _own_or_404(request, application_id)
    if app.status != Status.REJECTED:
        raise Http404
    return app


@never_cache
@login_required
@require_GET
def decision_letter(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    """The refusal letter: reason, legal basis, date, office and next steps."""
    app = _refused_own_or_404(request, application_id)
    context = {
        "app": app,
        "service_name": localized(app.service_type, "name"),
        "decision": decision_of(app),
    }
    return render(request, "applications/decision_letter.html", context)


@never_cache
@login_required
@require_GET
def decision_letter_pdf(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    """The refusal letter as a PDF, in the language of the request."""
    app = _refused_own_or_404(request, application_id)
    tracking_url = request.build_absolute_uri(reverse("applications:track"))
    content = refusal_letter_pdf_bytes(app, tracking_url=tracking_url)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"simi-{app.tracking_code}-keputusan.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _details_form(app: Application, data: Any = None) -> DetailsForm:
    needed = required_details(app.service_type)
    initial = {
        "sponsor_kind": app.sponsor_kind,
        "sponsor_name": app.sponsor_name or "",
        "sponsor_contact": app.sponsor_contact or "",
    }
    if app.family_card_number:
        # shown masked: the full number is not sent back to the browser
        initial["family_card_number"] = ""
    permits = []
    if EXTENDS_PERMIT in needed:
        permits = selectors.permits_to_extend(application=app)
        if app.extends_permit is not None:
            initial["extends_permit"] = str(app.extends_permit.public_id)
    return DetailsForm(data, needed=needed, permits=permits, initial=initial)


@never_cache
@login_required
@require_POST
def details_save(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    app = _own_or_404(request, application_id)
    form = _details_form(app, request.POST)
    if not form.is_valid():
        return _detail_page(request, app, CancelForm(), status=422, details_form=form)
    data = {key: value for key, value in form.cleaned_data.items() if value}
    try:
        services.application_details_save(actor=request.user, application=app, **data)
    except errors.SimiError as exc:
        add_service_error(form, exc)
        return _detail_page(request, app, CancelForm(), status=exc.status, details_form=form)
    messages.success(request, _("The details are saved."))
    return redirect("applications:detail", application_id=app.public_id)
