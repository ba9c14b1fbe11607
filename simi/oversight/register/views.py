"""Back-office pages of the register (/kantor/pengawasan/): foreigners, their
forms and violations. As thin as the API: forms in, the same services and
selectors underneath."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simi.core import errors
from simi.core.formerrors import add_service_error, posted
from simi.oversight.access import can_write
from simi.oversight.decorators import reader_required, writer_required
from simi.oversight.models import Foreigner, ViolationKind, ViolationStatus
from simi.oversight.register import permits, selectors, services
from simi.oversight.register.export import export_filename, foreigners_csv, foreigners_xlsx
from simi.oversight.register.forms import (
    ForeignerEditForm,
    ForeignerFilterForm,
    ForeignerRegisterForm,
    MovementForm,
    PermitForm,
    SponsorForm,
    TravelDocumentForm,
)

PAGE_SIZE = 25


def _foreigner_or_404(request: HttpRequest, foreigner_id: uuid.UUID) -> Foreigner:
    try:
        return selectors.foreigner_get(actor=request.user, public_id=foreigner_id)
    except errors.NotFound:
        raise Http404 from None


def _filters(request: HttpRequest) -> tuple[ForeignerFilterForm, selectors.ForeignerFilters]:
    form = ForeignerFilterForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        return form, selectors.ForeignerFilters(
            nationality=data["nationality"] or "",
            kecamatan=data["kecamatan"] or "",
            permit_kind=data["permit_kind"] or "",
            expiring_within=data["expiring_within"],
        )
    return form, selectors.ForeignerFilters()


@reader_required
@require_GET
def foreigner_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    found = selectors.foreigner_list(actor=request.user, filters=filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "can_write": can_write(request.user),
        "query": request.GET.urlencode(),
    }
    status = 422 if request.GET and not form.is_valid() else 200
    return render(request, "oversight/foreigner_list.html", context, status=status)


@reader_required
@require_GET
def foreigner_export(request: HttpRequest) -> StreamingHttpResponse:
    _form, filters = _filters(request)
    response = StreamingHttpResponse(
        (line.encode() for line in foreigners_csv(actor=request.user, filters=filters)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    response["Cache-Control"] = "no-store"
    return response


@reader_required
@require_GET
def foreigner_export_xlsx(request: HttpRequest) -> FileResponse:
    _form, filters = _filters(request)
    handle = foreigners_xlsx(actor=request.user, filters=filters)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=export_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "no-store"
    return response


@reader_required
@require_GET
def foreigner_detail(request: HttpRequest, foreigner_id: uuid.UUID) -> HttpResponse:
    try:
        foreigner = selectors.foreigner_open(actor=request.user, public_id=foreigner_id)
    except errors.NotFound:
        raise Http404 from None
    context = {
        "file": selectors.foreigner_file(foreigner),
        "can_write": can_write(request.user),
    }
    return render(request, "oversight/foreigner_detail.html", context)


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    submit: str,
    status: int = 200,
    foreigner: Foreigner | None = None,
) -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "foreigner": foreigner}
    return render(request, "oversight/form.html", context, status=status)


def _run(form: Any, call: Callable[[], Any]) -> tuple[Any, int]:
    """Call the service; on a SimiError put it on the form and return its status."""
    try:
        return call(), 200
    except errors.NotFound:
        raise Http404 from None
    except errors.SimiError as exc:
        add_service_error(form, exc)
        return None, exc.status


@writer_required
@require_http_methods(["GET", "POST"])
def foreigner_register(request: HttpRequest) -> HttpResponse:
    form = ForeignerRegisterForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            foreigner, status = _run(
                form,
                lambda: services.foreigner_register(
                    actor=request.user,
                    mrz_text=data["mrz"],
                    kecamatan_code=data["kecamatan"] or None,
                    address=data["address"],
                ),
            )
            if foreigner is not None:
                messages.success(request, _("The foreigner is in the register."))
                return redirect("oversight_office:detail", foreigner_id=foreigner.public_id)
    return _form_page(
        request, form, title=_("Register a foreigner"), submit=_("Register"), status=status
    )


@writer_required
@require_http_methods(["GET", "POST"])
def foreigner_edit(request: HttpRequest, foreigner_id: uuid.UUID) -> HttpResponse:
    foreigner = _foreigner_or_404(request, foreigner_id)
    initial = {
        "kecamatan": foreigner.kecamatan.code if foreigner.kecamatan else "",
        "address": foreigner.address or "",
    }
    form = ForeignerEditForm(posted(request), initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            done, status = _run(
                form,
                lambda: services.foreigner_update(
                    actor=request.user,
                    foreigner=foreigner,
                    kecamatan_code=form.cleaned_data["kecamatan"] or None,
                    address=form.cleaned_data["address"],
                ),
            )
            if done is not None:
                messages.success(request, _("The address is saved."))
                return redirect("oversight_office:detail", foreigner_id=foreigner.public_id)
    return _form_page(
        request,
        form,
        title=_("Change the registered address"),
        submit=_("Save"),
        status=status,
        foreigner=foreigner,
    )


@writer_required
@require_http_methods(["GET", "POST"])
def travel_document_add(request: HttpRequest, foreigner_id: uuid.UUID) -> HttpResponse:
    foreigner = _foreigner_or_404(request, foreigner_id)
    form = TravelDocumentForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            done, status = _run(
                form,
                lambda: services.travel_document_add(
                    actor=request.user, foreigner=foreigner, mrz_text=form.cleaned_data["mrz"]
                ),
            )
            if done is not None:
                messages.success(request, _("The new passport is recorded."))
                return redirect("oversight_office:detail", foreigner_id=foreigner.public_id)
    return _form_page(
        request,
        form,
        title=_("Add a new passport"),
        submit=_("Add"),
        status=status,
        foreigner=foreigner,
    )


@writer_required
@require_http_methods(["GET", "POST"])
def permit_add(request: HttpRequest, foreigner_id: uuid.UUID) -> HttpResponse:
    foreigner = _foreigner_or_404(request, foreigner_id)
    sponsors = list(selectors.sponsors_visible(actor=request.user))
    form = PermitForm(posted(request), sponsors=sponsors)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            sponsor = next((s for s in sponsors if str(s.public_id) == data["sponsor"]), None)
            done, status = _run(
                form,
                lambda: permits.permit_create(
                    actor=request.user,
                    foreigner=foreigner,
                    kind=data["kind"],
                    number=data["number"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    sponsor=sponsor,
                ),
            )
            if done is not None:
                messages.success(request, _("The stay permit is recorded."))
                return redirect("oversight_office:detail", foreigner_id=foreigner.public_id)
    return _form_page(
        request,
        form,
        title=_("Record a stay permit"),
        submit=_("Record"),
        status=status,
        foreigner=foreigner,
    )


@writer_required
@require_POST
def permit_cancel(request: HttpRequest, permit_id: uuid.UUID) -> HttpResponse:
    try:
        permit = selectors.permit_get(actor=request.user, public_id=permit_id)
        permits.permit_cancel(actor=request.user, permit=permit)
    except errors.NotFound:
        raise Http404 from None
    messages.success(request, _("The stay permit is cancelled."))
    return redirect("oversight_office:detail", foreigner_id=permit.foreigner.public_id)


@writer_required
@require_http_methods(["GET", "POST"])
def movement_add(request: HttpRequest, foreigner_id: uuid.UUID) -> HttpResponse:
    foreigner = _foreigner_or_404(request, foreigner_id)
    form = MovementForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            done, status = _run(
                form,
                lambda: services.movement_record(
                    actor=request.user,
                    foreigner=foreigner,
                    direction=data["direction"],
                    on=data["date"],
                    port=data["port"],
                ),
            )
            if done is not None:
                messages.success(request, _("The entry or exit is recorded."))
                return redirect("oversight_office:detail", foreigner_id=foreigner.public_id)
    return _form_page(
        request,
        form,
        title=_("Record an entry or exit"),
        submit=_("Record"),
        status=status,
        foreigner=foreigner,
    )


@writer_required
@require_http_methods(["GET", "POST"])
def sponsor_add(request: HttpRequest) -> HttpResponse:
    form = SponsorForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            done, status = _run(
                form,
                lambda: services.sponsor_create(
                    actor=request.user,
                    kind=data["kind"],
                    name=data["name"],
                    contact=data["contact"],
                ),
            )
            if done is not None:
                messages.success(request, _("The sponsor is saved."))
                return redirect("oversight_office:list")
    return _form_page(request, form, title=_("Add a sponsor"), submit=_("Save"), status=status)


@reader_required
@require_GET
def violation_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    status = status if status in ViolationStatus.values else ""
    kind = kind if kind in ViolationKind.values else ""
    found = selectors.violation_list(actor=request.user, status=status, kind=kind)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "kind": kind,
        "statuses": ViolationStatus.choices,
        "kinds": ViolationKind.choices,
    }
    return render(request, "oversight/violation_list.html", context)
