"""Reads of core reference data (public): offices and regions."""

from __future__ import annotations

from django.db.models import QuerySet

from simi.core.models import Office, Region


def office_list(*, active_only: bool = True) -> QuerySet[Office]:
    queryset = Office.objects.select_related("region", "parent")
    return queryset.filter(is_active=True) if active_only else queryset


def region_list(*, level: str | None = None, parent_code: str | None = None) -> QuerySet[Region]:
    queryset = Region.objects.select_related("parent")
    if level:
        queryset = queryset.filter(level=level)
    if parent_code:
        queryset = queryset.filter(parent__code=parent_code)
    return queryset.order_by("code")
