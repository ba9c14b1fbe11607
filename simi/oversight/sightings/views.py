"""Back-office pages of sightings (/kantor/pengawasan/temuan/). Thin: forms
in, the services and selectors of this package underneath."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from simi.core import errors
from simi.core.formerrors import add_service_error, posted, posted_files
from simi.core.uploads import read_limited, stored_file_response
from simi.oversight.access import can_write
from simi.oversight.decorators import reader_required, writer_required
from simi.oversight.models import Foreigner
from simi.oversight.register import selectors as register_selectors
from simi.oversight.sightings import selectors
from simi.oversight.sightings.forms import SightingFilterForm, SightingForm
from simi.oversight.sightings.services import SightingData, sighting_record

PAGE_SIZE = 25


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    return response


def _sighting_filters(request: HttpRequest) -> tuple[SightingFilterForm, selectors.SightingFilters]:
    form = SightingFilterForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        mismatch = {"yes": True, "no": False}.get(data["address_mismatch"] or "")
        return form, selectors.SightingFilters(
            kecamatan=data["kecamatan"] or "",
            subject=data["subject"] or "",
            seal_verdict=data["seal_verdict"] or "",
            address_mismatch=mismatch,
        )
    return form, selectors.SightingFilters()


@reader_required
@require_GET
def sighting_list(request: HttpRequest) -> HttpResponse:
    form, filters = _sighting_filters(request)
    found = selectors.sighting_list(actor=request.user, filters=filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_write": can_write(request.user)}
    return render(request, "oversight/sightings/list.html", context)


def _foreigner_from_query(request: HttpRequest) -> Foreigner | None:
    raw = request.GET.get("foreigner") or request.POST.get("foreigner") or ""
    try:
        return register_selectors.foreigner_get(actor=request.user, public_id=uuid.UUID(raw))
    except (ValueError, errors.NotFound):
        return None


@writer_required
@require_http_methods(["GET", "POST"])
def sighting_add(request: HttpRequest) -> HttpResponse:
    foreigner = _foreigner_from_query(request)
    initial = {"foreigner": str(foreigner.public_id)} if foreigner else {}
    if foreigner is not None and foreigner.kecamatan is not None:
        initial["kecamatan"] = foreigner.kecamatan.code
    form = SightingForm(posted(request), posted_files(request), initial=initial)
    if foreigner is not None:  # the person seen is known: no other way to name them
        for name in ("passport_number", "nationality", "seal"):
            del form.fields[name]
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            upload = data.get("photo")
            try:
                photo = read_limited(upload, declared_size=upload.size) if upload else None
                sighting = sighting_record(
                    actor=request.user,
                    data=SightingData(
                        kecamatan_code=data["kecamatan"],
                        seen_at=data["seen_at"],
                        latitude=data["latitude"],
                        longitude=data["longitude"],
                        note=data["note"],
                        foreigner_id=foreigner.public_id if foreigner else None,
                        passport_number=data.get("passport_number", ""),
                        nationality=data.get("nationality", ""),
                        seal=data.get("seal", ""),
                        photo=photo,
                    ),
                )
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("The sighting is recorded."))
                return redirect("oversight_office:sighting", sighting_id=sighting.public_id)
    context = {"form": form, "foreigner": foreigner}
    return render(request, "oversight/sightings/form.html", context, status=status)


@reader_required
@require_GET
def sighting_detail(request: HttpRequest, sighting_id: uuid.UUID) -> HttpResponse:
    try:
        sighting = selectors.sighting_open(actor=request.user, public_id=sighting_id)
    except errors.NotFound:
        raise Http404 from None
    return _no_store(render(request, "oversight/sightings/detail.html", {"s": sighting}))


@reader_required
@require_GET
def sighting_photo(request: HttpRequest, sighting_id: uuid.UUID) -> HttpResponse:
    try:
        sighting = selectors.sighting_get(actor=request.user, public_id=sighting_id)
        content, content_type = selectors.sighting_photo(actor=request.user, sighting=sighting)
    except errors.NotFound:
        raise Http404 from None
    return _no_store(stored_file_response(content, content_type, name=f"foto-{sighting.public_id}"))
