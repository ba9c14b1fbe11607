"""Applicant pages: my appointments, booking, rescheduling and cancelling.

Forms in, the same services and selectors as the API underneath.
"""

from __future__ import annotations

import uuid
from datetime import date
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
from simi.appointments import calendarfile, selectors, services
from simi.appointments.calendarfile import calendar_text
from simi.appointments.forms import ConfirmForm, SlotForm, slot_value
from simi.appointments.models import Booking, BookingStatus
from simi.catalog.languages import localized
from simi.core import errors
from simi.core.formerrors import add_service_error, posted
from simi.core.models import Office
from simi.issuance.printing import seal_qr_data_uri

PAGE_SIZE = 20


def _own_booking_or_404(request: HttpRequest, booking_id: uuid.UUID) -> Booking:
    try:
        return selectors.booking_get_own(actor=request.user, public_id=booking_id)
    except errors.NotFound:
        raise Http404 from None


def _slot_choices(office: Office, kind: str) -> list[tuple[str, str]]:
    """Every free session of the booking window, whichever week is shown:
    a place taken from another week's page is still a valid choice."""
    first, last = selectors.bookable_range(office)
    days = selectors.office_days(office=office, kind=kind, date_from=first, date_to=last)
    return [
        (slot_value(day.day, session.code), f"{day.day.isoformat()} {session.name}")
        for day in days
        if day.is_open
        for session in day.sessions
        if session.free > 0
    ]


def _week_start(request: HttpRequest, office: Office) -> date | None:
    """The week asked for by ``?week=YYYY-Www`` (or ``?start=YYYY-MM-DD``);
    anything malformed shows the first week, a week outside the window the
    nearest one inside it."""
    raw_week, raw_start = request.GET.get("week"), request.GET.get("start")
    try:
        if raw_week:
            start = selectors.parse_week(raw_week)
        elif raw_start:
            start = date.fromisoformat(raw_start)
        else:
            return None
    except (errors.ValidationFailed, ValueError):
        return None
    earliest, latest = selectors.week_range(office)
    return min(max(selectors.monday_of(start), earliest), latest)


def _calendar(request: HttpRequest, office: Office, kind: str, current: str = "") -> dict[str, Any]:
    earliest = selectors.earliest_slot(office=office, kind=kind, skip=current)
    # Without a week asked for, the calendar opens on the earliest session's.
    start = _week_start(request, office) or (earliest.day if earliest else None)
    return {
        "earliest": earliest,
        "week": selectors.booking_week(office=office, kind=kind, start=start),
        "closures": selectors.closures_ahead(office=office),
        "current": current,
    }


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
    form = SlotForm(posted(request), slots=_slot_choices(application.office, kind))
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
        "form": form,
        **_calendar(request, application.office, kind),
        "is_open": application.status not in services.CLOSED_APPLICATION_STATUSES,
    }
    return render(request, "appointments/book.html", context, status=status)


@never_cache
@login_required
@require_GET
def booking_detail(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    booking = _own_booking_or_404(request, booking_id)
    proof = selectors.booking_proof(booking)
    context = {
        "booking": booking,
        "proof": proof,
        "code": proof.reference,
        "service_name": proof.service_name,
        "session_name": proof.session_name,
        "starts": proof.starts_at,
        "ends": proof.ends_at,
        "qr": seal_qr_data_uri(proof.qr_payload) if booking.is_active else "",
        "can_reschedule": services.can_reschedule(booking),
        "can_cancel": services.can_cancel(booking),
    }
    return render(request, "appointments/detail.html", context)


@never_cache
@login_required
@require_GET
def booking_calendar_file(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """The booking as an .ics file for the phone's calendar."""
    booking = _own_booking_or_404(request, booking_id)
    response = HttpResponse(calendar_text(booking), content_type=calendarfile.CONTENT_TYPE)
    name = f"janji-temu-{booking.code}.ics"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


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
    current = slot_value(booking.day, booking.session.code)
    choices = [c for c in _slot_choices(booking.office, booking.kind) if c[0] != current]
    form = SlotForm(posted(request), slots=choices)
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
    context = {
        "booking": booking,
        "form": form,
        **_calendar(request, booking.office, booking.kind, current),
    }
    return render(request, "appointments/reschedule.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    booking = _own_booking_or_404(request, booking_id)
    form = ConfirmForm(posted(request))
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
