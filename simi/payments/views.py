"""Payments pages: the payer's bills, and in the back office the office's
bills and the bank-statement reconciliation. As thin as the API: the same
selectors and services underneath."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simi.accounts.decorators import staff_required
from simi.core import errors
from simi.core.formerrors import add_service_error, posted, posted_files
from simi.core.ratelimit import hit
from simi.payments import selectors
from simi.payments.forms import StatementUploadForm
from simi.payments.models import Bill, BillStatus, LineResult
from simi.payments.reconciliation import (
    MAX_FILE_BYTES,
    can_reconcile,
    check_size,
    reconciliation_import,
)
from simi.payments.services import bill_renew as bill_renew_service

PAGE_SIZE = 20
View = Callable[..., HttpResponse]


def _get_or_404(getter: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return getter(**kwargs)
    except errors.NotFound:
        raise Http404 from None


# --- The payer's pages ----------------------------------------------------------


@never_cache
@login_required
@require_GET
def bill_list(request: HttpRequest) -> HttpResponse:
    bills = selectors.bills_own(request.user)
    page = Paginator(bills, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "methods": list(selectors.payment_methods())}
    return render(request, "payments/list.html", context)


def _bill_page(
    request: HttpRequest, bill: Bill, *, status: int = 200, error: str = ""
) -> HttpResponse:
    renewal = selectors.bill_renewal(bill)
    context = {
        "bill": bill,
        "payment": selectors.bill_payment(bill),
        "renewal": renewal,
        "replacement": selectors.bill_replacement(bill) if renewal == "replaced" else None,
        # unpaid and its time not up (the expiry job may run minutes later)
        "payable": bill.is_payable,
        "methods": list(selectors.payment_methods()),
        "error": error,
    }
    return render(request, "payments/detail.html", context, status=status)


@never_cache
@login_required
@require_GET
def bill_detail(request: HttpRequest, bill_id: uuid.UUID) -> HttpResponse:
    bill = _get_or_404(selectors.bill_get_own, actor=request.user, public_id=bill_id)
    return _bill_page(request, bill)


# A payer asks for a new code a few times at most; more is a script.
RENEW_LIMIT = 10
RENEW_WINDOW_SECONDS = 3600


@never_cache
@login_required
@require_POST
def bill_renew(request: HttpRequest, bill_id: uuid.UUID) -> HttpResponse:
    """The button "Get a new bill" of an expired bill: on to the new bill's
    page, or back to the old one, which says why there is none. A repeated
    POST lands on the same new bill (``services.bill_renew``)."""
    bill = _get_or_404(selectors.bill_get_own, actor=request.user, public_id=bill_id)
    if not hit(
        "payments.renew",
        str(request.user.pk),
        limit=RENEW_LIMIT,
        window_seconds=RENEW_WINDOW_SECONDS,
    ):
        return _bill_page(request, bill, status=429, error=str(errors.RateLimited().message))
    try:
        answer = bill_renew_service(actor=request.user, bill=bill)
    except errors.NotFound:
        raise Http404 from None
    except errors.SimiError as exc:
        return _bill_page(request, bill, status=exc.status, error=str(exc.message))
    return redirect("payments:bill", (answer.bill or bill).public_id)


# --- Back office ------------------------------------------------------------------

STATUS_FILTERS = ("all", *BillStatus.values)


@staff_required
@require_GET
def office_bills(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "all")
    if status not in STATUS_FILTERS:
        status = "all"
    bills = selectors.bills_for_office(actor=request.user, status=status)
    page = Paginator(bills, PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = [("all", "—"), *BillStatus.choices]
    context = {
        "page": page,
        "status": status,
        "statuses": statuses,
        "can_reconcile": can_reconcile(request.user),
    }
    return render(request, "payments/backoffice/bills.html", context)


def reconciler_required(view: View) -> View:
    """Back-office pages of staff with ``payments:reconcile`` (MFA via the
    staff session middleware)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_reconcile(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return staff_required(wrapper)


@reconciler_required
@require_http_methods(["GET", "POST"])
def reconcile(request: HttpRequest) -> HttpResponse:
    form = StatementUploadForm(posted(request), posted_files(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                check_size(upload.size or 0)
                reconciliation, _created = reconciliation_import(
                    actor=request.user,
                    file_name=upload.name or "",
                    content=upload.read(MAX_FILE_BYTES + 1),
                )
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                return redirect("payments_office:reconciliation", reconciliation.public_id)
        else:
            status = 422
    imports = selectors.reconciliations_for(actor=request.user)
    page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    return render(request, "payments/backoffice/reconcile.html", context, status=status)


@reconciler_required
@require_GET
def reconciliation_detail(request: HttpRequest, reconciliation_id: uuid.UUID) -> HttpResponse:
    reconciliation = _get_or_404(
        selectors.reconciliation_get, actor=request.user, public_id=reconciliation_id
    )
    lines = list(selectors.reconciliation_lines(reconciliation))
    sections = [
        (result, label, [line for line in lines if line.result == result])
        for result, label in LineResult.choices
    ]
    context = {"reconciliation": reconciliation, "sections": sections}
    return render(request, "payments/backoffice/reconciliation.html", context)
