"""Pages of lodging: the partner pages (/mitra/), where a lodging place
reports its foreign guests one by one or as a CSV file and follows the file's
progress, and the back-office overview of late reports and quiet places."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from simi.core import errors
from simi.core.formerrors import add_service_error, posted, posted_files
from simi.oversight.decorators import partner_required, reader_required
from simi.oversight.lodging import selectors
from simi.oversight.lodging.forms import GuestForm, UploadForm
from simi.oversight.lodging.imports import CSV_HEADER, failure_message, lodging_import_start
from simi.oversight.lodging.services import (
    GuestData,
    lodging_report_submit,
    place_for_reporter,
    row_error_message,
)
from simi.oversight.models import LodgingPlace, LodgingReport

PAGE_SIZE = 25
_OUTCOME_MESSAGES = {
    "created": gettext_lazy("The guest is reported. Thank you."),
    "checked_out": gettext_lazy("The check-out is recorded."),
    "unchanged": gettext_lazy("This guest was already reported; nothing changed."),
}


def _place_or_404(request: HttpRequest, code: str) -> LodgingPlace:
    try:
        return place_for_reporter(actor=request.user, code=code)
    except errors.NotFound:
        raise Http404 from None


@partner_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    reports = selectors.partner_reports(actor=request.user)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    imports = selectors.partner_imports(actor=request.user)
    context = {
        "places": selectors.partner_places(actor=request.user),
        "page": page,
        "imports": imports[:10],
    }
    return render(request, "oversight/partner/home.html", context)


@partner_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, code: str) -> HttpResponse:
    place = _place_or_404(request, code)
    form = GuestForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome = lodging_report_submit(
                    actor=request.user,
                    place=place,
                    data=GuestData(
                        data["full_name"],
                        data["nationality"],
                        data["passport_number"],
                        data["check_in"],
                        data["check_out"],
                    ),
                    source=LodgingReport.Source.WEB,
                )
            except errors.NotFound:
                raise Http404 from None
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, str(_OUTCOME_MESSAGES[outcome.outcome]))
                return redirect("oversight:home")
    context = {"form": form, "place": place}
    return render(request, "oversight/partner/report.html", context, status=status)


@partner_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, code: str) -> HttpResponse:
    place = _place_or_404(request, code)
    form = UploadForm(posted(request), posted_files(request))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                started = lodging_import_start(actor=request.user, place=place, raw=uploaded.read())
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                return redirect("oversight:import", import_id=started.public_id)
    context = {"form": form, "place": place, "header": ",".join(CSV_HEADER)}
    return render(request, "oversight/partner/upload.html", context, status=status)


def _import_context(request: HttpRequest, import_id: uuid.UUID) -> dict[str, Any]:
    try:
        found = selectors.partner_import_get(actor=request.user, public_id=import_id)
    except errors.NotFound:
        raise Http404 from None
    problems = [{**error, "message": row_error_message(error["code"])} for error in found.errors]
    failure = failure_message(found.failure) if found.failure else ""
    return {"upload": found, "problems": problems, "failure": failure}


@partner_required
@require_GET
def import_detail(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    return render(request, "oversight/partner/import.html", _import_context(request, import_id))


@partner_required
@require_GET
def import_progress(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    """The progress block alone, polled by htmx every second until finished."""
    context = _import_context(request, import_id)
    return render(request, "oversight/partner/includes/progress.html", context)


# --- Back office -----------------------------------------------------------------


@reader_required
@require_GET
def lodging_overview(request: HttpRequest) -> HttpResponse:
    late = selectors.late_reports(actor=request.user)
    page = Paginator(late, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "stopped": selectors.places_stopped_reporting(actor=request.user),
        "places": selectors.places_visible(actor=request.user),
        "page": page,
    }
    return render(request, "oversight/lodging_overview.html", context)
