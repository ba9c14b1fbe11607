"""Submitting, the applicant's last step: check your answers (every answer
with a link to change it, what is still missing, the declaration), the submit
form, and the confirmation that says what happens next. The same service as
the API's ``POST .../submit``; a one-time form key makes a double tap submit
once (``simi.core.formkeys``)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from simi.accounts.household.selectors import household_member_of
from simi.applications import selectors, services
from simi.applications.forms import SubmitForm
from simi.applications.guardians import application_documents
from simi.applications.models import Application, Status
from simi.applications.requirements import (
    EXTENDS_PERMIT,
    FAMILY_CARD,
    SPONSOR,
    ApplicationIncomplete,
    MissingItem,
    missing_items,
    required_details,
)
from simi.applications.views import error_text
from simi.catalog.languages import localized
from simi.catalog.selectors import fee_in_force, sla_in_force
from simi.core import errors, formkeys
from simi.core.money import format_rupiah


def _own_or_404(request: HttpRequest, application_id: uuid.UUID) -> Application:
    try:
        return selectors.application_get_own(actor=request.user, public_id=application_id)
    except errors.NotFound:
        raise Http404 from None


# Where, on the draft's page, the applicant adds each detail (DetailsForm's fields).
_DETAIL_ANCHORS = {
    FAMILY_CARD: "id_family_card_number",
    SPONSOR: "id_sponsor_name",
    EXTENDS_PERMIT: "details-title",
}


def _fix_link(app: Application, item: MissingItem) -> str:
    """The place on the draft's page where a missing item is added."""
    anchor = f"doc-{item.item}" if item.kind == "document" else _DETAIL_ANCHORS[item.item]
    return reverse("applications:detail", args=[app.public_id]) + "#" + anchor


def _missing_text(item: MissingItem) -> str:
    if item.kind == "document":
        return _("%(name)s: not uploaded yet") % {"name": item.label}
    return _("%(name)s: not given yet") % {"name": item.label}


def _masked(value: str | None) -> str:
    """A number shown by its last four characters: enough to recognise it."""
    return f"•••• {value[-4:]}" if value else ""


def _check_page(
    request: HttpRequest,
    app: Application,
    form: SubmitForm,
    *,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    """Check your answers: every answer with a link to change it, the
    documents by name, what is missing, and the declaration to submit."""
    missing = missing_items(app)
    missing_links = [
        {"text": _missing_text(item), "href": _fix_link(app, item)} for item in missing
    ]
    summary: list[dict[str, str]] = []
    if request.method == "POST":
        if problem:
            summary.append({"text": problem, "href": ""})
        summary += missing_links
        for message in form.errors.get("declaration", []):
            summary.append({"text": str(message), "href": "#id_declaration"})
    today = timezone.localdate()
    fees = fee_in_force(app.service_type, today)
    sla = sla_in_force(app.service_type, today)
    uploaded: dict[str, list] = {}
    for upload in app.documents.all():
        uploaded.setdefault(upload.requirement_code, []).append(upload)
    missing_codes = {item.item for item in missing if item.kind == "document"}
    documents = [
        {
            "code": doc.code,
            "name": localized(doc, "name"),
            "mandatory": doc.is_mandatory,
            "uploads": uploaded.get(doc.code, []),
            "missing": doc.code in missing_codes,
        }
        for doc in application_documents(app)
        if doc.is_mandatory or doc.code in uploaded
    ]
    missing_fields = {item.item for item in missing if item.kind == "field"}
    needed = required_details(app.service_type)
    person = app.person
    context = {
        "app": app,
        "service_name": localized(app.service_type, "name"),
        "fee_text": format_rupiah(fees.total) if fees.is_set else None,
        "sla_days": sla.working_days if sla is not None else None,
        "person": person,
        "member": household_member_of(account_id=app.applicant_id, person_id=app.person_id),
        "nik_masked": _masked(person.nik) if person is not None else "",
        "passport_masked": _masked(person.passport_number) if person is not None else "",
        "asks_family_card": FAMILY_CARD in needed,
        "asks_sponsor": SPONSOR in needed,
        "asks_permit": EXTENDS_PERMIT in needed,
        "family_card_masked": _masked(app.family_card_number),
        "missing_fields": missing_fields,
        "documents": documents,
        "missing": missing_links,
        "summary": summary,
        "form": form,
        "form_key": formkeys.form_key(request),
    }
    return render(request, "applications/check_answers.html", context, status=status)


@never_cache
@login_required
@require_GET
def application_check(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    app = _own_or_404(request, application_id)
    if not app.is_draft:
        return redirect("applications:detail", application_id=app.public_id)
    return _check_page(request, app, SubmitForm())


@never_cache
@login_required
@require_POST
def application_submit(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    """The check page's form: the declaration, then the same service as the
    API. A refusal shows the check page again with what to fix."""
    app = _own_or_404(request, application_id)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _check_page(request, app, form, status=422)

    def submit() -> str:
        services.application_submit(actor=request.user, application=app, declared=True)
        return reverse("applications:submitted", args=[app.public_id])

    try:
        # a second tap with the same form key lands on the confirmation
        location = formkeys.once(request, request.user, submit)
    except ApplicationIncomplete as exc:
        return _check_page(request, app, form, status=exc.status)
    except errors.SimiError as exc:
        if not app.is_draft:
            messages.error(request, error_text(exc))
            return redirect("applications:detail", application_id=app.public_id)
        return _check_page(request, app, form, status=exc.status, problem=error_text(exc))
    messages.success(request, _("Your application is submitted. Keep the tracking code."))
    return redirect(location)


@never_cache
@login_required
@require_GET
def application_submitted(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    """What happens next: the tracking code, the expected date, the next step."""
    app = _own_or_404(request, application_id)
    if app.is_draft:
        return redirect("applications:check", application_id=app.public_id)
    if app.status != Status.REGISTERED:
        # further on (or closed), the application's own page says where it stands
        return redirect("applications:detail", application_id=app.public_id)
    fee = app.fee_total_at_submit
    context = {
        "app": app,
        "service_name": localized(app.service_type, "name"),
        "fee_text": format_rupiah(fee) if fee is not None else None,
    }
    return render(request, "applications/submitted.html", context)
