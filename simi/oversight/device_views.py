"""Back-office pages of sightings and devices (/kantor/pengawasan/temuan/,
/kantor/pengawasan/perangkat/). Thin: forms in, the services of
``sightings.py`` and ``devices.py`` underneath."""

from __future__ import annotations

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

from simi.accounts.decorators import staff_required
from simi.core import errors
from simi.core.formerrors import add_service_error
from simi.core.uploads import read_limited
from simi.oversight import devices, selectors, services, sightings
from simi.oversight.device_forms import (
    DeviceFilterForm,
    DeviceForm,
    RekeyForm,
    SightingFilterForm,
    SightingForm,
)
from simi.oversight.models import Device, Foreigner
from simi.oversight.views import reader_required, writer_required

PAGE_SIZE = 25
View = Callable[..., Any]


def manager_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not devices.can_manage(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return staff_required(wrapper)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    return response


# --- Sightings -----------------------------------------------------------------


def _sighting_filters(request: HttpRequest) -> tuple[SightingFilterForm, sightings.SightingFilters]:
    form = SightingFilterForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        mismatch = {"yes": True, "no": False}.get(data["address_mismatch"] or "")
        return form, sightings.SightingFilters(
            kecamatan=data["kecamatan"] or "",
            subject=data["subject"] or "",
            seal_verdict=data["seal_verdict"] or "",
            address_mismatch=mismatch,
        )
    return form, sightings.SightingFilters()


@reader_required
@require_GET
def sighting_list(request: HttpRequest) -> HttpResponse:
    form, filters = _sighting_filters(request)
    found = sightings.sighting_list(actor=request.user, filters=filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_write": services.can_write(request.user)}
    return render(request, "oversight/sightings/list.html", context)


def _foreigner_from_query(request: HttpRequest) -> Foreigner | None:
    raw = request.GET.get("foreigner") or request.POST.get("foreigner") or ""
    try:
        return selectors.foreigner_get(actor=request.user, public_id=uuid.UUID(raw))
    except (ValueError, errors.NotFound):
        return None


@writer_required
@require_http_methods(["GET", "POST"])
def sighting_add(request: HttpRequest) -> HttpResponse:
    foreigner = _foreigner_from_query(request)
    initial = {"foreigner": str(foreigner.public_id)} if foreigner else {}
    if foreigner is not None and foreigner.kecamatan is not None:
        initial["kecamatan"] = foreigner.kecamatan.code
    form = SightingForm(request.POST or None, request.FILES or None, initial=initial)
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
                sighting = sightings.sighting_record(
                    actor=request.user,
                    data=sightings.SightingData(
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
        sighting = sightings.sighting_open(actor=request.user, public_id=sighting_id)
    except errors.NotFound:
        raise Http404 from None
    return _no_store(render(request, "oversight/sightings/detail.html", {"s": sighting}))


@reader_required
@require_GET
def sighting_photo(request: HttpRequest, sighting_id: uuid.UUID) -> HttpResponse:
    try:
        sighting = sightings.sighting_get(actor=request.user, public_id=sighting_id)
        content, content_type = sightings.sighting_photo(actor=request.user, sighting=sighting)
    except errors.NotFound:
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


# --- Devices -------------------------------------------------------------------


@reader_required
@require_GET
def device_list(request: HttpRequest) -> HttpResponse:
    form = DeviceFilterForm(request.GET or None)
    kind = status = ""
    if request.GET and form.is_valid():
        kind, status = form.cleaned_data["kind"] or "", form.cleaned_data["status"] or ""
    found = devices.device_list(actor=request.user, kind=kind, status=status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_manage": devices.can_manage(request.user)}
    return render(request, "oversight/devices/list.html", context)


def _key_shown_once(request: HttpRequest, device: Device, secret: str) -> HttpResponse:
    """The only page that ever shows an HMAC secret; not cached."""
    context = {"device": device, "secret": secret}
    return _no_store(render(request, "oversight/devices/secret.html", context))


@manager_required
@require_http_methods(["GET", "POST"])
def device_register(request: HttpRequest) -> HttpResponse:
    form = DeviceForm(request.POST or None, initial={"key_kind": "hmac"})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                registered = devices.device_register(
                    actor=request.user,
                    data=devices.DeviceData(
                        code=data["code"],
                        kind=data["kind"],
                        kecamatan_code=data["kecamatan"],
                        location=data["location"],
                        key_kind=data["key_kind"],
                        public_key=data["public_key"],
                        expected_interval_minutes=data["expected_interval_minutes"],
                    ),
                )
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                if registered.secret:
                    return _key_shown_once(request, registered.device, registered.secret)
                messages.success(request, _("The device is registered."))
                return redirect("oversight_office:device", device_id=registered.device.public_id)
    context = {"form": form, "title": _("Register a device"), "submit": _("Register")}
    return render(request, "oversight/devices/form.html", context, status=status)


def _device_or_404(request: HttpRequest, device_id: uuid.UUID) -> Device:
    try:
        return devices.device_get(actor=request.user, public_id=device_id)
    except errors.NotFound:
        raise Http404 from None


@reader_required
@require_GET
def device_detail(request: HttpRequest, device_id: uuid.UUID) -> HttpResponse:
    device = _device_or_404(request, device_id)
    context = {
        "device": device,
        "events": device.events.all()[:50],
        "alerts": device.alerts.all()[:20],
        "can_manage": devices.can_manage(request.user),
    }
    return render(request, "oversight/devices/detail.html", context)


@manager_required
@require_http_methods(["GET", "POST"])
def device_rekey(request: HttpRequest, device_id: uuid.UUID) -> HttpResponse:
    device = _device_or_404(request, device_id)
    form = RekeyForm(request.POST or None, initial={"key_kind": device.key_kind})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                done = devices.device_rekey(
                    actor=request.user,
                    device=device,
                    key_kind=form.cleaned_data["key_kind"],
                    public_key=form.cleaned_data["public_key"],
                )
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                if done.secret:
                    return _key_shown_once(request, done.device, done.secret)
                messages.success(request, _("The device has a new key."))
                return redirect("oversight_office:device", device_id=device.public_id)
    context = {
        "form": form,
        "device": device,
        "title": _("New key for %(code)s") % {"code": device.code},
        "submit": _("Replace the key"),
    }
    return render(request, "oversight/devices/form.html", context, status=status)


@manager_required
@require_POST
def device_status(request: HttpRequest, device_id: uuid.UUID) -> HttpResponse:
    device = _device_or_404(request, device_id)
    wanted = request.POST.get("status", "")
    try:
        devices.device_set_status(actor=request.user, device=device, status=wanted)
    except errors.ValidationFailed:
        messages.error(request, _("Unknown status."))
    else:
        messages.success(request, _("The device's status is saved."))
    return redirect("oversight_office:device", device_id=device.public_id)


@reader_required
@require_GET
def device_alerts(request: HttpRequest) -> HttpResponse:
    open_only = request.GET.get("open") == "1"
    found = devices.alerts_visible(actor=request.user, open_only=open_only)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "oversight/devices/alerts.html", {"page": page, "open_only": open_only})
