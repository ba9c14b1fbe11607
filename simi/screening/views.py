"""Back-office pages of screening (/kantor/penyaringan/): the review queue
for supervisors, watchlists and imports for administrators, and the switch.
As thin as the API: forms in, the same services and selectors underneath."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simi.accounts.actors import Actor
from simi.accounts.decorators import staff_required
from simi.audit.services import audit_record
from simi.core import errors
from simi.core.formerrors import add_service_error, posted
from simi.screening import imports, selectors, services
from simi.screening.access import MANAGE, REVIEW, can, can_see_control
from simi.screening.codes import Action
from simi.screening.forms import ControlForm, DecisionForm, UploadForm, WatchlistForm
from simi.screening.models import ReviewItem, Watchlist
from simi.screening.risk.scoring import review_risk
from simi.screening.subjects import subject_display

PAGE_SIZE = 25
View = Callable[..., Any]


def _needs(check: Callable[[Actor], bool]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return staff_required(wrapper)

    return decorate


reviewer_required = _needs(lambda user: can(user, REVIEW))
manager_required = _needs(lambda user: can(user, MANAGE))
control_reader_required = _needs(can_see_control)


def _or_404(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except errors.NotFound:
        raise Http404 from None


# --- review queue ----------------------------------------------------------------


@reviewer_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    if status not in selectors.REVIEW_FILTERS:
        status = "open"
    found = selectors.review_queue(actor=request.user, status=status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "filters": list(selectors.REVIEW_FILTERS)}
    return render(request, "screening/queue.html", context)


def _side_by_side(item: ReviewItem) -> list[dict[str, Any]]:
    entries = selectors.hit_entries(item)
    rows = []
    for hit in item.hits:
        entry = entries.get(hit["entry"])
        rows.append(
            {
                "hit": hit,
                "entry": entry,
                "names": json.loads(entry.names) if entry else [],
                "birth_dates": json.loads(entry.birth_dates or "[]") if entry else [],
            }
        )
    return rows


@reviewer_required
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    item = _or_404(lambda: selectors.review_get(actor=request.user, public_id=item_id))
    form = DecisionForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.review_decide(
                    actor=request.user,
                    item=item,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Your decision is recorded."))
                return redirect("screening_office:queue")
    else:
        # Opening the comparison shows personal data: the read is audited.
        audit_record(
            actor=request.user,
            action=Action.REVIEW_VIEWED,
            target=item,
            data={"subject_type": item.subject_type},
        )
    context = {
        "item": item,
        "subject": subject_display(item.subject_type, item.subject_id),
        "rows": _side_by_side(item),
        "risk": review_risk(item),
        "form": form,
    }
    return render(request, "screening/review.html", context, status=status)


# --- the switch ----------------------------------------------------------------------


@control_reader_required
@require_http_methods(["GET", "POST"])
def control_page(request: HttpRequest) -> HttpResponse:
    row = selectors.control_get(actor=request.user)
    may_manage = can(request.user, MANAGE)
    initial = {
        "automatic_enabled": "on" if row.automatic_enabled else "off",
        "review_threshold": row.review_threshold,
    }
    form = ControlForm(posted(request), initial=initial)
    status = 200
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        status = 422
        if form.is_valid():
            try:
                services.control_set(
                    actor=request.user,
                    automatic_enabled=form.cleaned_data["automatic_enabled"],
                    reason=form.cleaned_data["reason"],
                    review_threshold=form.cleaned_data["review_threshold"],
                )
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Screening settings saved."))
                return redirect("screening_office:control")
    context = {"control": row, "form": form, "may_manage": may_manage}
    return render(request, "screening/control.html", context, status=status)


# --- watchlists -------------------------------------------------------------------------


@manager_required
@require_GET
def watchlist_list(request: HttpRequest) -> HttpResponse:
    context = {"watchlists": selectors.watchlists(actor=request.user)}
    return render(request, "screening/watchlists.html", context)


@manager_required
@require_http_methods(["GET", "POST"])
def watchlist_new(request: HttpRequest) -> HttpResponse:
    form = WatchlistForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                created = services.watchlist_create(actor=request.user, **form.cleaned_data)
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                return redirect("screening_office:watchlist", code=created.code)
    context = {"form": form, "title": _("New watchlist"), "submit": _("Create")}
    return render(request, "screening/form.html", context, status=status)


def _watchlist(request: HttpRequest, code: str) -> Watchlist:
    found: Watchlist = _or_404(lambda: selectors.watchlist_get(actor=request.user, code=code))
    return found


@manager_required
@require_GET
def watchlist_detail(request: HttpRequest, code: str) -> HttpResponse:
    watchlist = _watchlist(request, code)
    status = request.GET.get("status", "")
    try:
        entries = selectors.watchlist_entries(
            actor=request.user, watchlist=watchlist, status=status
        )
    except errors.ValidationFailed:
        entries = selectors.watchlist_entries(actor=request.user, watchlist=watchlist)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "watchlist": watchlist,
        "page": page,
        "imports": selectors.imports_of(actor=request.user, watchlist=watchlist)[:10],
        "form": UploadForm(),
    }
    return render(request, "screening/watchlist.html", context)


@manager_required
@require_POST
def watchlist_upload(request: HttpRequest, code: str) -> HttpResponse:
    watchlist = _watchlist(request, code)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            started = imports.watchlist_import_start(
                actor=request.user, watchlist=watchlist, raw=form.cleaned_data["file"].read()
            )
        except errors.SimiError as exc:
            add_service_error(form, exc)
        else:
            return redirect("screening_office:import", import_id=started.public_id)
    entries = selectors.watchlist_entries(actor=request.user, watchlist=watchlist)
    context = {
        "watchlist": watchlist,
        "page": Paginator(entries, PAGE_SIZE).get_page(1),
        "imports": selectors.imports_of(actor=request.user, watchlist=watchlist)[:10],
        "form": form,
    }
    return render(request, "screening/watchlist.html", context, status=422)


@manager_required
@require_POST
def watchlist_estimate(request: HttpRequest, code: str) -> HttpResponse:
    watchlist = _watchlist(request, code)
    result = services.impact_estimate(actor=request.user, watchlist=watchlist)
    messages.success(
        request,
        _("Impact estimated for %(entries)s entries against %(people)s people: %(hits)s hits.")
        % {"entries": result.entries, "people": result.people, "hits": result.hits},
    )
    return redirect("screening_office:watchlist", code=watchlist.code)


@manager_required
@require_POST
def watchlist_publish(request: HttpRequest, code: str) -> HttpResponse:
    watchlist = _watchlist(request, code)
    try:
        count = services.watchlist_publish(actor=request.user, watchlist=watchlist)
    except errors.Conflict as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(count)s entries are live.") % {"count": count})
    return redirect("screening_office:watchlist", code=watchlist.code)


def _import_context(request: HttpRequest, import_id: uuid.UUID) -> dict[str, Any]:
    upload = _or_404(lambda: selectors.import_get(actor=request.user, public_id=import_id))
    problems = [{**p, "message": imports.problem_message(p["code"])} for p in upload.problems]
    return {"upload": upload, "problems": problems}


@manager_required
@require_GET
def import_detail(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    return render(request, "screening/import.html", _import_context(request, import_id))


@manager_required
@require_GET
def import_progress(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    """The progress block alone, polled by htmx every second until finished."""
    return render(request, "screening/_progress.html", _import_context(request, import_id))
