"""Applicant pages: my appointments, booking, rescheduling and cancelling.

Forms in, the same services and selectors as the API underneath.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from simi.applications.selectors import application_get_own, applications_own
from simi.appointments import selectors, services
from simi.appointments.forms import ConfirmForm, SlotForm, slot_value
from simi.appointments.models import Booking, BookingStatus
from simi.catalog.languages import localized
from simi.core import errors
from simi.core.formerrors import add_service_error
from simi.core.models import Office

PAGE_SIZE = 20


def _own_booking_or_404(request: HttpRequest, booking_id: uuid.UUID) -> Booking:
    try:
        return selectors.booking_get_own(actor=request.user, public_id=booking_id)
    except errors.NotFound:
        raise Http404 from None


def _slot_days(office: Office, kind: str) -> tuple[list[Any], list[tuple[str, str]]]:
    """The window's days (open and closed) and the free sessions as choices."""
    first, last = selectors.bookable_range(office)
    days = selectors.office_days(office=office, kind=kind, date_from=first, date_to=last)
    choices = [
        (slot_value(day.day, session.code), f"{day.day.isoformat()} {session.name}")
        for day in days
        if day.is_open
        for session in day.sessions
        if session.free > 0
    ]
    return days, choices


@never_cache
@login_required
@require_GET
def booking_list(request: HttpRequest) -> HttpResponse:
    found = selectors.bookings_own(actor=request.user)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    bookable = [
        {"application": app, "service_name": localized(app.service_type, "name")}
        for app in applications_own(actor=request.user)
        .exclude(status__in=services.CLOSED_APPLICATION_STATUSES)
        .exclude(bookings__status=BookingStatus.BOOKED)[:PAGE_SIZE]
        if not app.service_type.is_addon
    ]
    return render(request, "appointments/list.html", {"page": page, "bookable": bookable})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def booking_new(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    try:
        application = application_get_own(actor=request.user, public_id=application_id)
    except errors.NotFound:
        raise Http404 from None
    existing = selectors.active_booking_for(application)
    if existing is not None:
        return redirect("appointments:detail", booking_id=existing.public_id)
    kind = application.service_type.kind
    days, choices = _slot_days(application.office, kind)
    form = SlotForm(request.POST or None, slots=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            day, session = form.chosen()
            try:
                booking = services.booking_create(
                    actor=request.user, application=application, day=day, session_code=session
                )
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Your visit is booked. Show the booking code %(code)s at the office.")
                    % {"code": services.display_booking_code(booking.code)},
                )
                return redirect("appointments:detail", booking_id=booking.public_id)
        else:
            status = 422
    context = {
        "application": application,
        "service_name": localized(application.service_type, "name"),
        "office": application.office,
        "days": days,
        "form": form,
        "is_open": application.status not in services.CLOSED_APPLICATION_STATUSES,
    }
    return render(request, "appointments/book.html", context, status=status)


@never_cache
@login_required
@require_GET
def booking_detail(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    booking = _own_booking_or_404(request, booking_id)
    starts, ends = selectors.session_bounds(booking.session, booking.day)
    context = {
        "booking": booking,
        "code": services.display_booking_code(booking.code),
        "service_name": localized(booking.application.service_type, "name"),
        "session_name": localized(booking.session, "name"),
        "starts": starts,
        "ends": ends,
        "can_reschedule": services.can_reschedule(booking),
        "can_cancel": services.can_cancel(booking),
    }
    return render(request, "appointments/detail.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def booking_reschedule(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    booking = _own_booking_or_404(request, booking_id)
    if not services.can_reschedule(booking):
        messages.error(
            request,
            _("This booking can no longer be rescheduled (once only, until two days before)."),
        )
        return redirect("appointments:detail", booking_id=booking.public_id)
    days, choices = _slot_days(booking.office, booking.kind)
    current = slot_value(booking.day, booking.session.code)
    choices = [choice for choice in choices if choice[0] != current]
    form = SlotForm(request.POST or None, slots=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            day, session = form.chosen()
            try:
                services.booking_reschedule(
                    actor=request.user, booking=booking, day=day, session_code=session
                )
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Your visit is moved. This was your one reschedule."))
                return redirect("appointments:detail", booking_id=booking.public_id)
        else:
            status = 422
    context = {"booking": booking, "days": days, "form": form, "current": current}
    return render(request, "appointments/reschedule.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    booking = _own_booking_or_404(request, booking_id)
    form = ConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.booking_cancel(actor=request.user, booking=booking)
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Your booking is cancelled; the place is free again."))
                return redirect("appointments:detail", booking_id=booking.public_id)
        else:
            status = 422
    context = {
        "booking": booking,
        "code": services.display_booking_code(booking.code),
        "form": form,
        "can_cancel": services.can_cancel(booking),
    }
    return render(request, "appointments/cancel.html", context, status=status)
