"""Personal-data pages: the applicant's own page, the handlers' queue, the
incident register and its notice letters. As thin as the API: forms in,
services and selectors underneath."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simi.accounts.decorators import staff_required
from simi.core import errors
from simi.core.formerrors import add_service_error, posted
from simi.privacy import selectors, services
from simi.privacy.clocks import PDP_BREACH_NOTICE_HOURS, PDP_RESPONSE_HOURS
from simi.privacy.erasure import erasure_blockers
from simi.privacy.export import export_filename, personal_data_export
from simi.privacy.forms import (
    DsrDecisionForm,
    DsrSubmitForm,
    IncidentForm,
    IncidentNotifiedForm,
    IncidentUpdateForm,
)
from simi.privacy.letters import LETTER_AUDIENCES, LETTER_LANGUAGES, letter_context
from simi.privacy.models import DataSubjectRequest, Incident

PAGE_SIZE = 25
View = Callable[..., HttpResponse]


def handler_required(view: View) -> View:
    """Back-office pages of the data protection team: staff with ``privacy:handle``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.can_handle(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return staff_required(wrapper)


def _get_or_404(getter: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return getter(**kwargs)
    except errors.NotFound:
        raise Http404 from None


# --- The applicant's own page ------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    form = DsrSubmitForm(posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                dsr = services.dsr_submit(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    details=form.cleaned_data["details"],
                )
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                if dsr.kind == DataSubjectRequest.Kind.ACCESS:
                    messages.success(
                        request, _("Your copy is ready: use the download button below.")
                    )
                else:
                    messages.success(
                        request,
                        _("We received your request. We answer within 3x24 hours."),
                    )
                return redirect("privacy:home")
        else:
            status = 422
    requests = selectors.dsr_list_own(actor=request.user)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "clock": PDP_RESPONSE_HOURS}
    return render(request, "privacy/my_data.html", context, status=status)


@never_cache
@login_required
@require_GET
def my_request(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    dsr = _get_or_404(selectors.dsr_get_own, actor=request.user, public_id=request_id)
    return render(request, "privacy/request.html", {"dsr": dsr})


@never_cache
@login_required
@require_GET
def download(request: HttpRequest) -> StreamingHttpResponse:
    chunks = personal_data_export(actor=request.user)
    response = StreamingHttpResponse(
        (chunk.encode() for chunk in chunks), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The handlers' queue -------------------------------------------------------

QUEUE_FILTERS = ("open", *DataSubjectRequest.Status.values, "all")


@handler_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or "open"
    if status not in QUEUE_FILTERS:
        status = "open"
    requests = selectors.dsr_queue(actor=request.user, status=status)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = [("open", _("Open")), *DataSubjectRequest.Status.choices, ("all", _("All"))]
    context = {"page": page, "status": status, "statuses": statuses, "now": timezone.now()}
    return render(request, "privacy/backoffice/queue.html", context)


def _request_page(
    request: HttpRequest, dsr: DataSubjectRequest, form: DsrDecisionForm, status: int = 200
) -> HttpResponse:
    blockers = (
        erasure_blockers(dsr.applicant, exclude_request=dsr)
        if dsr.kind == DataSubjectRequest.Kind.ERASURE and dsr.is_open
        else []
    )
    context = {"dsr": dsr, "form": form, "blockers": blockers, "clock": PDP_RESPONSE_HOURS}
    return render(request, "privacy/backoffice/request.html", context, status=status)


@handler_required
@require_GET
def request_detail(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    dsr = _get_or_404(selectors.dsr_get_for_handler, actor=request.user, public_id=request_id)
    return _request_page(request, dsr, DsrDecisionForm())


_ACTIONS = {"start", "complete", "reject"}


@handler_required
@require_POST
def request_action(request: HttpRequest, request_id: uuid.UUID, action: str) -> HttpResponse:
    if action not in _ACTIONS:
        raise Http404
    dsr = _get_or_404(selectors.dsr_get_for_handler, actor=request.user, public_id=request_id)
    form = DsrDecisionForm(request.POST)
    if not form.is_valid():
        return _request_page(request, dsr, form, status=422)
    note = form.cleaned_data["note"]
    try:
        if action == "start":
            services.dsr_start(actor=request.user, public_id=dsr.public_id)
        elif action == "complete":
            services.dsr_complete(actor=request.user, public_id=dsr.public_id, note=note)
        else:
            services.dsr_reject(actor=request.user, public_id=dsr.public_id, reason=note)
    except errors.SimiError as exc:
        if exc.fields:
            exc.fields = {
                ("note" if name in {"reason", "note"} else name): msgs
                for name, msgs in exc.fields.items()
            }
        add_service_error(form, exc)
        return _request_page(request, dsr, form, status=exc.status)
    messages.success(request, _("The request is updated."))
    return redirect("privacy_backoffice:request", request_id=dsr.public_id)


# --- The incident register -----------------------------------------------------


@handler_required
@require_GET
def incidents(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in Incident.Status.values:
        status = None
    found = selectors.incident_list(actor=request.user, status=status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": Incident.Status.choices}
    return render(request, "privacy/backoffice/incidents.html", context)


@handler_required
@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    form = IncidentForm(posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                incident = services.incident_report(actor=request.user, data=form.to_data())
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("The incident is recorded. The notice clock runs."))
                return redirect("privacy_backoffice:incident", incident_id=incident.public_id)
        else:
            status = 422
    context = {"form": form, "clock": PDP_BREACH_NOTICE_HOURS}
    return render(request, "privacy/backoffice/incident_form.html", context, status=status)


def _incident_initial(incident: Incident) -> dict[str, Any]:
    return {
        "title": incident.title,
        "description": incident.description,
        "occurred_at": timezone.localtime(incident.occurred_at),
        "discovered_at": timezone.localtime(incident.discovered_at),
        "severity": incident.severity,
        "data_categories": incident.data_categories,
        "affected_subjects": incident.affected_subjects,
        "remediation": incident.remediation,
        "status": incident.status,
    }


@handler_required
@require_http_methods(["GET", "POST"])
def incident_detail(request: HttpRequest, incident_id: uuid.UUID) -> HttpResponse:
    incident = _get_or_404(selectors.incident_get, actor=request.user, public_id=incident_id)
    form = IncidentUpdateForm(initial=_incident_initial(incident))
    notified = IncidentNotifiedForm(initial={"notified_at": timezone.localtime()})
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "notified":
                notified = IncidentNotifiedForm(request.POST)
                if not notified.is_valid():
                    status = 422
                else:
                    services.incident_mark_notified(
                        actor=request.user,
                        public_id=incident.public_id,
                        audience=notified.cleaned_data["audience"],
                        at=notified.cleaned_data["notified_at"],
                    )
            else:
                form = IncidentUpdateForm(request.POST)
                if not form.is_valid():
                    status = 422
                else:
                    services.incident_update(
                        actor=request.user, public_id=incident.public_id, data=form.to_data()
                    )
        except errors.SimiError as exc:
            add_service_error(notified if which == "notified" else form, exc)
            status = exc.status
        if status == 200:
            messages.success(request, _("The incident is updated."))
            return redirect("privacy_backoffice:incident", incident_id=incident.public_id)
    context = {
        "incident": incident,
        "form": form,
        "notified": notified,
        "clock": PDP_BREACH_NOTICE_HOURS,
        "audiences": LETTER_AUDIENCES,
        "languages": LETTER_LANGUAGES,
    }
    return render(request, "privacy/backoffice/incident.html", context, status=status)


@handler_required
@require_GET
def incident_letter(
    request: HttpRequest, incident_id: uuid.UUID, audience: str, language: str
) -> HttpResponse:
    if audience not in LETTER_AUDIENCES or language not in LETTER_LANGUAGES:
        raise Http404
    incident = _get_or_404(selectors.incident_get, actor=request.user, public_id=incident_id)
    context = letter_context(incident, audience=audience, language=language)
    return render(request, "privacy/backoffice/letter.html", context)
