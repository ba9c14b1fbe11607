"""Pages that put several domains side by side for one person. Each domain
answers through its own selectors; the portal only lays the answers out."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from simi.accounts.actors import Actor
from simi.accounts.decorators import staff_required
from simi.accounts.household.selectors import household_members_own
from simi.accounts.models import HouseholdMember
from simi.applications.access import can_apply
from simi.applications.models import Application
from simi.applications.selectors import applications_own
from simi.appointments.models import Booking, BookingStatus
from simi.appointments.selectors import bookings_own
from simi.core import errors
from simi.core.openinghours import describe_hours
from simi.core.ratelimit import client_network, hit_wait
from simi.core.selectors import office_list
from simi.payments.models import BillPurpose, BillStatus
from simi.payments.selectors import bills_own
from simi.portal import selectors, services
from simi.portal.forms import PageFeedbackForm
from simi.portal.hooks import FEEDBACK_ROLES
from simi.portal.models import MAX_COMMENT_LENGTH
from simi.portal.officemap import office_map
from simi.privacy.selectors import retention_rules_active

PAGE_SIZE = 20
SIDE_LIST_SIZE = 10
# The date each statement was last reviewed; change it with the text.
PRIVACY_NOTICE_DATE = date(2026, 12, 2)
ACCESSIBILITY_STATEMENT_DATE = date(2026, 12, 2)
TERMS_DATE = date(2026, 12, 2)
# "Was this page helpful?": votes per client network and hour.
FEEDBACK_LIMIT = 10
FEEDBACK_WINDOW_SECONDS = 3600


@never_cache
@login_required
@require_GET
def applicant_dashboard(request: HttpRequest) -> HttpResponse:
    """The applicant's dashboard: applications, bills to pay and upcoming visits."""
    members = list(household_members_own(actor=request.user))
    found = _holder_first(applications_own(actor=request.user), request.user, members)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    # The unpaid bill of each application on the page, for its "Pay" action.
    due = bills_own(request.user).filter(
        status=BillStatus.UNPAID,
        purpose=BillPurpose.APPLICATION,
        reference__in=[str(app.public_id) for app in page.object_list],
    )
    due_by_application = {bill.reference: bill for bill in due}
    # The visit of each application on the page: the next booked one.
    visits = bookings_own(actor=request.user).filter(
        status=BookingStatus.BOOKED,
        day__gte=timezone.localdate(),
        application__in=list(page.object_list),
    )
    visit_by_application: dict[int, Booking] = {}
    for booking in sorted(visits, key=lambda b: (b.day, b.pk)):
        visit_by_application.setdefault(booking.application_id, booking)
    for app in page.object_list:
        setattr(app, "due_bill", due_by_application.get(str(app.public_id)))  # noqa: B010
        setattr(app, "visit", visit_by_application.get(app.pk))  # noqa: B010
    context = {
        "page": page,
        "groups": _groups(list(page.object_list), request.user, members),
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


def _holder_first(
    found: QuerySet[Application], user: Actor, members: list[HouseholdMember]
) -> QuerySet[Application]:
    """The account holder's own applications first, then each household
    member's in the order they were added; newest first within each."""
    if not members:
        return found
    order = Case(
        *(When(person_id=m.person_id, then=Value(n + 1)) for n, m in enumerate(members)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return found.annotate(person_order=order).order_by("person_order", "-created_at", "-id")


def _groups(
    apps: list[Application], user: Actor, members: list[HouseholdMember]
) -> list[dict[str, Any]]:
    """The page's applications by person: the holder ("you") and each member."""
    by_person = {m.person_id: m for m in members}
    groups: list[dict[str, Any]] = []
    for app in apps:
        member = by_person.get(app.person_id) if app.person_id is not None else None
        key = member.pk if member is not None else 0
        if not groups or groups[-1]["key"] != key:
            groups.append({"key": key, "member": member, "apps": []})
        groups[-1]["apps"].append(app)
    return groups


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """Who processes which personal data, why, for how long, and the rights."""
    context = {"retention_rules": list(retention_rules_active()), "updated": PRIVACY_NOTICE_DATE}
    return render(request, "portal/privacy_notice.html", context)


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html", {"updated": ACCESSIBILITY_STATEMENT_DATE})


@require_GET
def terms_of_use(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/terms.html", {"updated": TERMS_DATE})


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    """Every active office with its address, telephone, opening hours and map."""
    offices = [
        {"office": office, "hours": describe_hours(office.opening_hours), "map": office_map(office)}
        for office in office_list()
    ]
    return render(request, "portal/contact.html", {"offices": offices})


@require_POST
def page_feedback(request: HttpRequest) -> HttpResponse:
    """One answer to "Was this page helpful?" from the form in every footer."""
    form = PageFeedbackForm(request.POST)
    page = services.feedback_page_path(request.POST.get("page", ""))
    status = 200
    wait = hit_wait(
        "page-feedback",
        client_network(request),
        limit=FEEDBACK_LIMIT,
        window_seconds=FEEDBACK_WINDOW_SECONDS,
    )
    if wait:
        form.add_error(None, str(errors.RateLimited.default_message))
        status = 429
    elif form.is_valid():
        try:
            services.page_feedback_record(
                path=page,
                answer=form.cleaned_data["answer"],
                comment=form.cleaned_data["comment"],
                language=get_language() or "",
            )
        except errors.ValidationFailed as exc:
            for field, messages in exc.fields.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, str(message))
            status = 422
    else:
        status = 422
    context = {
        "form": form,
        "page": page,
        "saved": status == 200,
        "max_comment": MAX_COMMENT_LENGTH,
    }
    response = render(request, "portal/feedback_thanks.html", context, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    return response


@staff_required
@require_GET
def feedback_summary(request: HttpRequest) -> HttpResponse:
    """Votes per page, for analysts and administrators (no comments shown here)."""
    if getattr(request.user, "role", None) not in FEEDBACK_ROLES:
        raise PermissionDenied
    return render(
        request, "portal/feedback_summary.html", {"rows": selectors.feedback_counts_per_page()}
    )
