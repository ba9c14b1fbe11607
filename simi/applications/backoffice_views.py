"""Back-office pages of the officer workflow: the work queue, one
application with its documents and timeline, and one form per step.
As thin as the API: forms in, ``workflow`` and ``selectors`` underneath."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from simi.accounts.decorators import staff_required
from simi.applications import documents as app_documents
from simi.applications import selectors, workflow
from simi.applications.access import may_work
from simi.applications.billing import application_bills
from simi.applications.forms import (
    InterviewForm,
    IssueForm,
    NoteForm,
    QueueFilterForm,
    RejectForm,
    RequestDocumentsForm,
)
from simi.applications.guardians import application_documents
from simi.applications.models import Application
from simi.applications.requirements import missing_documents
from simi.applications.views import _inline_file, error_text
from simi.catalog.languages import localized
from simi.core import errors
from simi.core.formerrors import add_service_error
from simi.payments.models import Bill

PAGE_SIZE = 25


def _staff_or_404(request: HttpRequest, application_id: uuid.UUID) -> Application:
    try:
        return selectors.application_get_staff(
            actor=request.user, public_id=application_id, purpose="processing"
        )
    except errors.NotFound:
        raise Http404 from None


@staff_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    if not may_work(request.user):
        raise Http404
    form = QueueFilterForm(request.GET or None)
    filters: dict[str, Any] = {"queue": "open"}
    status = 200
    if form.is_valid():
        filters = {
            "queue": form.cleaned_data["queue"] or "open",
            "sla": form.cleaned_data["sla"] or None,
            "tracking_code": form.cleaned_data["q"] or None,
        }
    elif request.GET:
        status = 422
    try:
        found = selectors.applications_for_staff(actor=request.user, **filters)
    except errors.ValidationFailed as exc:
        add_service_error(form, exc)
        found = Application.objects.none()
        status = exc.status
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "today": timezone.localdate()}
    return render(request, "applications/backoffice/queue.html", context, status=status)


def _forms(app: Application, data: Any = None, which: str | None = None) -> dict[str, forms.Form]:
    choices = [(doc.code, localized(doc, "name")) for doc in application_documents(app)]

    def bound(name: str) -> Any:
        return data if which == name else None

    return {
        "request_documents": RequestDocumentsForm(bound("request_documents"), choices=choices),
        "complete_verification": NoteForm(bound("complete_verification")),
        "record_interview": InterviewForm(bound("record_interview")),
        "approve": NoteForm(bound("approve")),
        "reject": RejectForm(bound("reject")),
        "issue": IssueForm(bound("issue")),
    }


def _detail(
    request: HttpRequest,
    app: Application,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.user
    allowed = {name for name in workflow.STAFF_ACTIONS if workflow.may(actor, app, name)}
    context = {
        "app": app,
        "person": app.person,
        "service_name": localized(app.service_type, "name"),
        "documents": app_documents.missing_for_display(app),
        "uploads": list(app.documents.all()),
        "missing": missing_documents(app),
        "timeline": selectors.staff_timeline(app),
        "allowed": allowed,
        "forms": bound or _forms(app),
        "today": timezone.localdate(),
        "bills": _bills(app),
    }
    return render(request, "applications/backoffice/detail.html", context, status=status)


def _bills(app: Application) -> list[Bill]:
    return list(application_bills(app))


@staff_required
@require_GET
def detail(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    return _detail(request, _staff_or_404(request, application_id))


_ACTIONS = {
    "start_verification": (
        None,
        lambda actor, app, data: workflow.start_verification(actor=actor, application=app),
    ),
    "request_documents": (
        "request_documents",
        lambda actor, app, data: workflow.request_documents(
            actor=actor,
            application=app,
            requirement_codes=data["requirement_codes"],
            message=data["message"],
            working_days=data["working_days"],
        ),
    ),
    "complete_verification": (
        "complete_verification",
        lambda actor, app, data: workflow.complete_verification(
            actor=actor, application=app, note=data["note"]
        ),
    ),
    "record_interview": (
        "record_interview",
        lambda actor, app, data: workflow.record_interview(
            actor=actor,
            application=app,
            biometrics_reference=data["biometrics_reference"],
            note=data["note"],
        ),
    ),
    "approve": (
        "approve",
        lambda actor, app, data: workflow.approve(actor=actor, application=app, note=data["note"]),
    ),
    "reject": (
        "reject",
        lambda actor, app, data: workflow.reject(
            actor=actor, application=app, reason=data["reason"], note=data["note"]
        ),
    ),
    "issue": (
        "issue",
        lambda actor, app, data: workflow.issue(
            actor=actor, application=app, document_number=data["document_number"]
        ),
    ),
    "collect": (None, lambda actor, app, data: workflow.collect(actor=actor, application=app)),
}

_DONE = {
    "start_verification": _("Verification started."),
    "request_documents": _("The applicant is asked for the documents."),
    "complete_verification": _("Verification complete: on to the interview."),
    "record_interview": _("Interview recorded; the bill is issued."),
    "approve": _("Approved."),
    "reject": _("Refused."),
    "issue": _("Issued: the document is ready for collection."),
    "collect": _("Handed over."),
}


@staff_required
@require_POST
def act(request: HttpRequest, application_id: uuid.UUID, action: str) -> HttpResponse:
    if action not in _ACTIONS:
        raise Http404
    app = _staff_or_404(request, application_id)
    form_name, run = _ACTIONS[action]
    if action in workflow.STAFF_ACTIONS and not workflow.may(request.user, app, action):
        # A form from a page opened before the application moved on (another
        # tab, a colleague): its errors would be shown on no form at all.
        messages.error(
            request,
            _("This step is no longer possible: the application is now “%(status)s”.")
            % {"status": app.get_status_display()},
        )
        return redirect("applications_office:detail", application_id=app.public_id)
    data: dict[str, Any] = {}
    bound = None
    if form_name is not None:
        bound = _forms(app, request.POST, form_name)
        form = bound[form_name]
        if not form.is_valid():
            return _detail(request, app, bound=bound, status=422)
        data = form.cleaned_data
    try:
        run(request.user, app, data)
    except errors.SimiError as exc:
        if bound is not None and form_name is not None:
            add_service_error(bound[form_name], exc)
            return _detail(request, app, bound=bound, status=exc.status)
        messages.error(request, error_text(exc))
        return redirect("applications_office:detail", application_id=app.public_id)
    messages.success(request, str(_DONE[action]))
    return redirect("applications_office:detail", application_id=app.public_id)


@staff_required
@require_GET
def document_view(
    request: HttpRequest, application_id: uuid.UUID, document_id: uuid.UUID
) -> HttpResponse:
    app = _staff_or_404(request, application_id)
    try:
        document = app_documents.document_get(
            actor=request.user, application=app, document_id=document_id
        )
        content = app_documents.document_content(actor=request.user, document=document)
    except errors.NotFound:
        raise Http404 from None
    return _inline_file(content, document.content_type, document.requirement_code)
