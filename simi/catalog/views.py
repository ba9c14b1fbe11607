"""The public service catalogue: every service with today's fee, documents,
service standard and where it is offered. As thin as the API: the same
selectors underneath."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from simi.catalog import selectors
from simi.catalog.forms import CatalogFilterForm
from simi.catalog.models import ServiceKind
from simi.catalog.selectors import CatalogEntry
from simi.core.errors import NotFound


@dataclass(frozen=True)
class KindGroup:
    kind: str
    label: str
    entries: list[CatalogEntry]


def group_by_kind(entries: list[CatalogEntry]) -> list[KindGroup]:
    """Groups in the order the kinds are declared; empty kinds are left out."""
    groups = []
    for kind in ServiceKind:
        members = [e for e in entries if e.service.kind == kind.value]
        if members:
            groups.append(KindGroup(kind=kind.value, label=str(kind.label), entries=members))
    return groups


@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    form = CatalogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.catalog_entries(
        office=filters.get("office") or None,
        applicant_category=filters.get("applicant_category") or None,
    )
    context = {"form": form, "groups": group_by_kind(entries), "filtered": any(filters.values())}
    return render(request, "catalog/list.html", context)


@require_GET
def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        entry = selectors.catalog_entry_by_code(code=code)
    except NotFound:
        raise Http404 from None
    return render(request, "catalog/detail.html", {"entry": entry})
