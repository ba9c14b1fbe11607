"""Back-office pages of the counter: today's queue and bookings, check-in,
priority walk-ins, calling the next number. Staff with
``appointments:manage`` (after their second factor), scoped to their office
and its service points; another office answers 404."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from simi.accounts.decorators import staff_required
from simi.appointments import selectors, services
from simi.appointments.forms import CallNextForm, CheckInForm, WalkInForm
from simi.appointments.models import PriorityReason, TicketStatus
from simi.core import errors
from simi.core.models import Office

PAGE_SIZE = 25
View = Callable[..., HttpResponse]


def manager_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.can_manage(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return staff_required(wrapper)


def _office(request: HttpRequest) -> Office:
    code = request.POST.get("office") if request.method == "POST" else request.GET.get("office")
    try:
        return selectors.office_for_staff(actor=request.user, office_code=code or None)
    except errors.NotFound:
        raise Http404 from None


def _back(name: str, office: Office) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'office': office.code})}")


def _queue_page(
    request: HttpRequest,
    office: Office,
    *,
    check_in: CheckInForm | None = None,
    walk_in: WalkInForm | None = None,
    call_next: CallNextForm | None = None,
    status: int = 200,
) -> HttpResponse:
    chosen = request.GET.get("status") or ""
    tickets = selectors.tickets_of_day(
        actor=request.user, office=office, status=chosen if chosen in TicketStatus.values else None
    ).select_related("booking")
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = selectors.tickets_of_day(
        actor=request.user, office=office, status=TicketStatus.WAITING
    ).count()
    context = {
        "office": office,
        "offices": selectors.offices_managed(actor=request.user),
        "today": timezone.localdate(),
        "page": page,
        "waiting": waiting,
        "statuses": TicketStatus.choices,
        "status": chosen,
        "check_in_form": check_in or CheckInForm(),
        "walk_in_form": walk_in or WalkInForm(),
        "call_next_form": call_next
        or CallNextForm(initial={"counter": request.session.get("simi_counter", "Loket 1")}),
        "priority_places": selectors.priority_places(office, timezone.localdate()),
        "reasons": dict(PriorityReason.choices),
    }
    return render(request, "appointments/backoffice/queue.html", context, status=status)


@manager_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(request, _office(request))


@manager_required
@require_GET
def bookings(request: HttpRequest) -> HttpResponse:
    office = _office(request)
    found = selectors.bookings_of_day(actor=request.user, office=office).select_related("ticket")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "booking": booking,
            "code": services.display_booking_code(booking.code),
            "ticket": getattr(booking, "ticket", None),
        }
        for booking in page.object_list
    ]
    context = {
        "office": office,
        "offices": selectors.offices_managed(actor=request.user),
        "today": timezone.localdate(),
        "page": page,
        "rows": rows,
    }
    return render(request, "appointments/backoffice/bookings.html", context)


@manager_required
@require_POST
def check_in(request: HttpRequest) -> HttpResponse:
    office = _office(request)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _queue_page(request, office, check_in=form, status=422)
    try:
        ticket = services.booking_check_in(
            actor=request.user, office=office, code=form.cleaned_data["code"]
        )
    except errors.SimiError as exc:
        form.add_error("code", str(exc.message))
        return _queue_page(request, office, check_in=form, status=exc.status)
    messages.success(
        request, _("Checked in. Queue number: %(number)s") % {"number": ticket.display}
    )
    return _back("appointments_office:queue", office)


@manager_required
@require_POST
def walk_in(request: HttpRequest) -> HttpResponse:
    office = _office(request)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        return _queue_page(request, office, walk_in=form, status=422)
    try:
        ticket = services.walk_in_register(
            actor=request.user,
            office=office,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
        )
    except errors.SimiError as exc:
        form.add_error(None, str(exc.message))
        return _queue_page(request, office, walk_in=form, status=exc.status)
    messages.success(
        request,
        _("Priority walk-in registered. Queue number: %(number)s") % {"number": ticket.display},
    )
    return _back("appointments_office:queue", office)


@manager_required
@require_POST
def call_next(request: HttpRequest) -> HttpResponse:
    office = _office(request)
    form = CallNextForm(request.POST)
    if not form.is_valid():
        return _queue_page(request, office, call_next=form, status=422)
    try:
        ticket = services.queue_call_next(
            actor=request.user, office=office, counter=form.cleaned_data["counter"]
        )
    except errors.SimiError as exc:
        form.add_error("counter", str(exc.message))
        return _queue_page(request, office, call_next=form, status=exc.status)
    request.session["simi_counter"] = form.cleaned_data["counter"]
    if ticket is None:
        messages.info(request, _("Nobody is waiting."))
    else:
        messages.success(
            request,
            _("Call %(number)s to %(counter)s.")
            % {"number": ticket.display, "counter": ticket.counter},
        )
    return _back("appointments_office:queue", office)


@manager_required
@require_POST
def ticket_finish(request: HttpRequest, ticket_id: uuid.UUID, outcome: str) -> HttpResponse:
    try:
        ticket = selectors.ticket_get_for_staff(actor=request.user, public_id=ticket_id)
    except errors.NotFound:
        raise Http404 from None
    try:
        done = services.ticket_finish(actor=request.user, ticket=ticket, outcome=outcome)
    except errors.SimiError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("%(number)s: %(status)s")
            % {"number": done.display, "status": TicketStatus(done.status).label},
        )
    return _back("appointments_office:queue", ticket.office)
