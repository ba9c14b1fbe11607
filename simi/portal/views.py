"""Pages that put several domains side by side for one person. Each domain
answers through its own selectors; the portal only lays the answers out."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from simi.applications.access import can_apply
from simi.applications.selectors import applications_own
from simi.appointments.models import BookingStatus
from simi.appointments.selectors import bookings_own
from simi.payments.models import BillPurpose, BillStatus
from simi.payments.selectors import bills_own

PAGE_SIZE = 20
SIDE_LIST_SIZE = 10


@never_cache
@login_required
@require_GET
def applicant_dashboard(request: HttpRequest) -> HttpResponse:
    """The applicant's dashboard: applications, bills to pay and upcoming visits."""
    found = applications_own(actor=request.user)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    # The unpaid bill of each application on the page, for its "Pay" action.
    due = bills_own(request.user).filter(
        status=BillStatus.UNPAID,
        purpose=BillPurpose.APPLICATION,
        reference__in=[str(app.public_id) for app in page.object_list],
    )
    due_by_application = {bill.reference: bill for bill in due}
    for app in page.object_list:
        setattr(app, "due_bill", due_by_application.get(str(app.public_id)))  # noqa: B010
    context = {
        "page": page,
        "can_apply": can_apply(request.user),
        "unpaid_bills": list(
            bills_own(request.user).filter(status=BillStatus.UNPAID)[:SIDE_LIST_SIZE]
        ),
        "upcoming": list(
            bookings_own(actor=request.user)
            .filter(status=BookingStatus.BOOKED, day__gte=timezone.localdate())
            .order_by("day")[:SIDE_LIST_SIZE]
        ),
    }
    return render(request, "portal/applicant_dashboard.html", context)
