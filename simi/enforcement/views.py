"""Back-office pages of cases (/kantor/pengawasan/kasus/): the case list,
the oversight dashboard with its map, one case with its forms, and the
exports. As thin as the API: forms in, the same services underneath."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from simi.accounts.decorators import staff_required
from simi.core import errors
from simi.core.formerrors import add_service_error
from simi.core.uploads import read_limited, stored_file_response
from simi.enforcement import access, actions, evidence, exports, selectors, services
from simi.enforcement.dashboard import dashboard as dashboard_counts
from simi.enforcement.dashboard import kecamatan_counts
from simi.enforcement.forms import (
    AssignForm,
    CaseFilterForm,
    CloseForm,
    DeadlineForm,
    DecisionForm,
    EvidenceForm,
    NoteForm,
    ProposeForm,
)
from simi.enforcement.geomap import render_map
from simi.enforcement.models import Case

PAGE_SIZE = 25
View = Callable[..., Any]


def reader_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.can_read(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return staff_required(wrapper)


def _filters(request: HttpRequest) -> tuple[CaseFilterForm, selectors.CaseFilters]:
    form = CaseFilterForm(request.GET or None)
    if request.GET and form.is_valid():
        return form, selectors.CaseFilters(
            status=form.cleaned_data["status"] or "",
            assigned_to_me=bool(form.cleaned_data["mine"]),
        )
    return form, selectors.CaseFilters()


@reader_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    found = selectors.case_list(actor=request.user, filters=filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": request.GET.urlencode()}
    return render(request, "enforcement/case_list.html", context)


def _download(chunks: Any, kind: str, fmt: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=exports.CONTENT_TYPES[fmt])
    name = exports.export_filename(kind, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@reader_required
@require_GET
def case_export(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    _form, filters = _filters(request)
    chunks = exports.cases_export(actor=request.user, filters=filters, fmt=fmt)
    return _download(chunks, "kasus", fmt)


@reader_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    board = dashboard_counts(actor=request.user)
    link = reverse("oversight_office:list") + "?kecamatan={code}"
    counts = {c.code: c.count for c in board.by_kecamatan}
    context = {"board": board, "map_svg": render_map(counts, link=link)}
    return render(request, "enforcement/dashboard.html", context)


@reader_required
@require_GET
def dashboard_export(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    return _download(
        exports.counts_export(actor=request.user, fmt=fmt), "orang-asing-per-wilayah", fmt
    )


@reader_required
@require_GET
def kecamatan_map(request: HttpRequest) -> HttpResponse:
    """The map alone as an SVG file (for reports and printing)."""
    svg = render_map(kecamatan_counts(actor=request.user))
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


# --- One case -----------------------------------------------------------------------


def _case_or_404(request: HttpRequest, case_id: uuid.UUID, *, audited: bool = False) -> Case:
    get = selectors.case_open if audited else selectors.case_get
    try:
        return get(actor=request.user, public_id=case_id)
    except errors.NotFound:
        raise Http404 from None


def _detail(request: HttpRequest, case: Case, status: int = 200, **bound: Any) -> HttpResponse:
    user = request.user
    officers = selectors.assignable_officers(case)
    context = {
        "file": selectors.case_file(case),
        "can_manage": access.can_manage(user) and not case.is_closed,
        "can_work": access.can_work(user) and not case.is_closed,
        "can_decide": access.can_decide(user),
        "note_form": bound.get("note_form") or NoteForm(),
        "evidence_form": bound.get("evidence_form") or EvidenceForm(),
        "assign_form": bound.get("assign_form")
        or AssignForm(
            officers=officers,
            initial={"assignee": str(case.assignee.public_id) if case.assignee else ""},
        ),
        "deadline_form": bound.get("deadline_form")
        or DeadlineForm(initial={"due_date": case.due_date}),
        "close_form": bound.get("close_form") or CloseForm(),
        "propose_form": bound.get("propose_form")
        or ProposeForm(action_types=selectors.action_types()),
        "decision_form": bound.get("decision_form") or DecisionForm(),
        "decision_action": bound.get("decision_action"),
    }
    return render(request, "enforcement/case_detail.html", context, status=status)


@reader_required
@require_GET
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _detail(request, _case_or_404(request, case_id, audited=True))


def _post(
    request: HttpRequest,
    case: Case,
    form: Any,
    form_name: str,
    call: Callable[[Any], Any],
    done: str,
    **extra: Any,
) -> HttpResponse:
    """Validate ``form``, call the service; on an error show the case page
    with the form and the error (422/409), else redirect with a message."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except errors.NotFound:
            raise Http404 from None
        except errors.PermissionDenied:
            raise PermissionDenied from None
        except errors.SimiError as exc:
            add_service_error(form, exc)
            return _detail(request, case, status=exc.status, **{form_name: form}, **extra)
        messages.success(request, done)
        return redirect("enforcement_office:detail", case_id=case.public_id)
    return _detail(request, case, status=422, **{form_name: form}, **extra)


@reader_required
@require_POST
def note_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    form = NoteForm(request.POST)
    return _post(
        request,
        case,
        form,
        "note_form",
        lambda data: services.note_add(actor=request.user, case=case, text=data["text"]),
        _("The note is added."),
    )


@reader_required
@require_POST
def evidence_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    form = EvidenceForm(request.POST, request.FILES)

    def call(data: dict[str, Any]) -> Any:
        upload = data["file"]
        content = read_limited(upload, declared_size=upload.size)
        return evidence.evidence_add(
            actor=request.user, case=case, content=content, description=data["description"]
        )

    return _post(request, case, form, "evidence_form", call, _("The evidence file is added."))


@reader_required
@require_GET
def evidence_download(
    request: HttpRequest, case_id: uuid.UUID, evidence_id: uuid.UUID
) -> HttpResponse:
    case = _case_or_404(request, case_id)
    try:
        item = evidence.evidence_get(actor=request.user, case=case, evidence_id=evidence_id)
        content = evidence.evidence_content(actor=request.user, evidence=item)
    except errors.NotFound:
        raise Http404 from None
    return stored_file_response(
        content, item.content_type, name=f"bukti-{item.public_id}", disposition="attachment"
    )


@reader_required
@require_POST
def case_assign(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    officers = selectors.assignable_officers(case)
    form = AssignForm(request.POST, officers=officers)

    def call(data: dict[str, Any]) -> Any:
        assignee = officers.filter(public_id=data["assignee"]).first()
        return services.case_assign(actor=request.user, case=case, assignee=assignee)

    return _post(request, case, form, "assign_form", call, _("The case is assigned."))


@reader_required
@require_POST
def case_deadline(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    form = DeadlineForm(request.POST)
    return _post(
        request,
        case,
        form,
        "deadline_form",
        lambda data: services.case_set_deadline(
            actor=request.user, case=case, due_date=data["due_date"]
        ),
        _("The deadline is changed."),
    )


@reader_required
@require_POST
def case_close(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    form = CloseForm(request.POST)
    return _post(
        request,
        case,
        form,
        "close_form",
        lambda data: services.case_close(actor=request.user, case=case, reason=data["reason"]),
        _("The case is closed."),
    )


@reader_required
@require_POST
def action_propose(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case_or_404(request, case_id)
    form = ProposeForm(request.POST, action_types=selectors.action_types())
    return _post(
        request,
        case,
        form,
        "propose_form",
        lambda data: actions.action_propose(
            actor=request.user,
            case=case,
            code=data["action"],
            grounds=data["grounds"],
            effective_from=data["effective_from"],
            effective_until=data["effective_until"],
        ),
        _("The action is proposed; a supervisor decides on it."),
    )


def _decide(request: HttpRequest, action_id: uuid.UUID, approve: bool) -> HttpResponse:
    try:
        action = selectors.action_get(actor=request.user, public_id=action_id)
    except errors.NotFound:
        raise Http404 from None
    case = _case_or_404(request, action.case.public_id)
    form = DecisionForm(request.POST)
    decide = actions.action_approve if approve else actions.action_reject
    return _post(
        request,
        case,
        form,
        "decision_form",
        lambda data: decide(actor=request.user, action=action, reason=data["reason"]),
        _("The action is approved.") if approve else _("The action is rejected."),
        decision_action=action.public_id,
    )


@reader_required
@require_POST
def action_approve(request: HttpRequest, action_id: uuid.UUID) -> HttpResponse:
    return _decide(request, action_id, approve=True)


@reader_required
@require_POST
def action_reject(request: HttpRequest, action_id: uuid.UUID) -> HttpResponse:
    return _decide(request, action_id, approve=False)
