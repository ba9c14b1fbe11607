"""Applicant pages and the public tracking page: forms in, the same
services and selectors as the API underneath."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simi.applications import selectors, services
from simi.applications.forms import ApplicationNewForm, CancelForm, TrackForm
from simi.applications.models import Application
from simi.applications.selectors import TRACK_LIMIT, TRACK_WINDOW_SECONDS
from simi.catalog.languages import localized
from simi.catalog.selectors import fee_in_force, services_offered, sla_in_force
from simi.core import errors
from simi.core.formerrors import add_service_error
from simi.core.money import format_rupiah
from simi.core.ratelimit import client_ip, hit

PAGE_SIZE = 20


def _own_or_404(request: HttpRequest, application_id: uuid.UUID) -> Application:
    try:
        return selectors.application_get_own(actor=request.user, public_id=application_id)
    except errors.NotFound:
        raise Http404 from None


@never_cache
@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    found = selectors.applications_own(actor=request.user)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_apply": services.can_apply(request.user)}
    return render(request, "applications/list.html", context)


def _choices(kind: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    offered = list(services_offered(applicant_category=kind).prefetch_related("offices"))
    service_choices = [(s.code, localized(s, "name")) for s in offered]
    offices = {o.code: o.name for s in offered for o in s.offices.all() if o.is_active}
    return service_choices, sorted(offices.items())


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    if not services.can_apply(request.user):
        raise PermissionDenied
    person = getattr(request.user, "person", None)
    if person is None:
        return render(request, "applications/new.html", {"form": None})
    service_choices, office_choices = _choices(person.kind)
    form = ApplicationNewForm(
        request.POST or None, services=service_choices, offices=office_choices
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                app = services.application_create(
                    actor=request.user,
                    service_code=form.cleaned_data["service"],
                    office_code=form.cleaned_data["office"],
                )
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Your draft is saved. Check it, then submit it."))
                return redirect("applications:detail", application_id=app.public_id)
        else:
            status = 422
    return render(request, "applications/new.html", {"form": form}, status=status)


def _detail_page(
    request: HttpRequest, app: Application, cancel_form: CancelForm, status: int = 200
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
    documents = [
        {
            "name": localized(doc, "name"),
            "condition": localized(doc, "condition"),
            "mandatory": doc.is_mandatory,
        }
        for doc in app.service_type.documents.order_by("display_order", "code")
    ]
    context = {
        "app": app,
        "service_name": localized(app.service_type, "name"),
        "fee_text": fee_text,
        "sla_days": sla_days,
        "documents": documents,
        "timeline": selectors.application_timeline(app),
        "cancel_form": cancel_form,
    }
    return render(request, "applications/detail.html", context, status=status)


@never_cache
@login_required
@require_GET
def application_detail(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    return _detail_page(request, _own_or_404(request, application_id), CancelForm())


@never_cache
@login_required
@require_POST
def application_submit(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    app = _own_or_404(request, application_id)
    try:
        services.application_submit(actor=request.user, application=app)
    except errors.SimiError as exc:
        messages.error(request, str(exc.message))
        return redirect("applications:detail", application_id=app.public_id)
    messages.success(request, _("Your application is submitted. Keep the tracking code."))
    return redirect("applications:detail", application_id=app.public_id)


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
