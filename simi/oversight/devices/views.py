"""Back-office pages of devices (/kantor/pengawasan/perangkat/). Thin: forms
in, the services and selectors of this package underneath."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simi.core import errors
from simi.core.formerrors import add_service_error, posted
from simi.oversight.access import can_manage_devices
from simi.oversight.decorators import manager_required, reader_required
from simi.oversight.devices import selectors, services
from simi.oversight.devices.forms import DeviceFilterForm, DeviceForm, RekeyForm
from simi.oversight.models import Device

PAGE_SIZE = 25


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    return response


@reader_required
@require_GET
def device_list(request: HttpRequest) -> HttpResponse:
    form = DeviceFilterForm(request.GET or None)
    kind = status = ""
    if request.GET and form.is_valid():
        kind, status = form.cleaned_data["kind"] or "", form.cleaned_data["status"] or ""
    found = selectors.device_list(actor=request.user, kind=kind, status=status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_manage": can_manage_devices(request.user)}
    return render(request, "oversight/devices/list.html", context)


def _key_shown_once(request: HttpRequest, device: Device, secret: str) -> HttpResponse:
    """The only page that ever shows an HMAC secret; not cached."""
    context = {"device": device, "secret": secret}
    return _no_store(render(request, "oversight/devices/secret.html", context))


@manager_required
@require_http_methods(["GET", "POST"])
def device_register(request: HttpRequest) -> HttpResponse:
    form = DeviceForm(posted(request), initial={"key_kind": "hmac"})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                registered = services.device_register(
                    actor=request.user,
                    data=services.DeviceData(
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
        return selectors.device_get(actor=request.user, public_id=device_id)
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
        "can_manage": can_manage_devices(request.user),
    }
    return render(request, "oversight/devices/detail.html", context)


@manager_required
@require_http_methods(["GET", "POST"])
def device_rekey(request: HttpRequest, device_id: uuid.UUID) -> HttpResponse:
    device = _device_or_404(request, device_id)
    form = RekeyForm(posted(request), initial={"key_kind": device.key_kind})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                done = services.device_rekey(
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
        services.device_set_status(actor=request.user, device=device, status=wanted)
    except errors.ValidationFailed:
        messages.error(request, _("Unknown status."))
    else:
        messages.success(request, _("The device's status is saved."))
    return redirect("oversight_office:device", device_id=device.public_id)


@reader_required
@require_GET
def device_alerts(request: HttpRequest) -> HttpResponse:
    open_only = request.GET.get("open") == "1"
    found = selectors.alerts_visible(actor=request.user, open_only=open_only)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "oversight/devices/alerts.html", {"page": page, "open_only": open_only})
