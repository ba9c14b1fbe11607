"""Reads of core data: offices and regions (public reference data), and the
workers' heartbeats that retention purges."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from simi.core.models import Office, Region, WorkerHeartbeat


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


def worker_heartbeats_purge_candidates(*, cutoff: datetime) -> QuerySet[WorkerHeartbeat]:
    """Heartbeats of workers last seen before ``cutoff`` (long gone)."""
    return WorkerHeartbeat.objects.filter(last_seen_at__lt=cutoff)
