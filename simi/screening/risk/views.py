"""Back-office pages of the risk model (/kantor/penyaringan/risiko/): the
fairness and drift report, its CSV export (audited) and the model card.
``screening:report``: analysts, supervisors and administrators."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from simi.accounts.decorators import staff_required
from simi.screening.access import REPORT, can
from simi.screening.risk import report as fairness
from simi.screening.risk.card import model_card

View = Callable[..., Any]


def report_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can(request.user, REPORT):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped: View = staff_required(wrapper)
    return wrapped


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _window(request: HttpRequest) -> tuple[date | None, date | None]:
    since, until = _date(request.GET.get("since")), _date(request.GET.get("until"))
    if since and until and since > until:
        return None, None
    return since, until


@report_required
@require_GET
def fairness_page(request: HttpRequest) -> HttpResponse:
    since, until = _window(request)
    found = fairness.fairness_report(actor=request.user, since=since, until=until)
    context = {"report": found, "psi_major": fairness.PSI_MAJOR, "psi_minor": fairness.PSI_MINOR}
    return render(request, "screening/risk/fairness.html", context)


@report_required
@require_GET
def fairness_export(request: HttpRequest) -> HttpResponse:
    since, until = _window(request)
    body = fairness.fairness_csv(actor=request.user, since=since, until=until)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="screening-fairness.csv"'
    return response


@report_required
@require_GET
def model_card_page(request: HttpRequest) -> HttpResponse:
    return render(request, "screening/risk/model_card.html", model_card(actor=request.user))
