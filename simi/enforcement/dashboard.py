"""The oversight dashboard's numbers, each with the link to the list it counts.

Reads only, through the oversight selectors (already scoped to the actor's
offices): foreigners in the register by kecamatan and nationality, permits
ending within 30 days, open violations by kind, late lodging reports this
month, and open cases by status. Each number is the length of the list its
link opens, so a click shows the same count; the one exception is late
lodging this month, whose link opens the list of all late reports (newest
first), because the lodging page has no month filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from simi.accounts.actors import Actor
from simi.core.models import Region
from simi.enforcement.models import CaseStatus
from simi.enforcement.selectors import cases_visible
from simi.oversight.lodging import selectors as lodging
from simi.oversight.models import ViolationKind, ViolationStatus
from simi.oversight.register import selectors as oversight

EXPIRING_DAYS = 30
LAMPUNG_BARAT = "18.04."


@dataclass(frozen=True)
class Count_:
    code: str
    label: str
    count: int
    url: str


@dataclass
class Dashboard:
    by_kecamatan: list[Count_] = field(default_factory=list)
    by_nationality: list[Count_] = field(default_factory=list)
    foreigners_total: int = 0
    expiring: Count_ | None = None
    violations: list[Count_] = field(default_factory=list)
    late_lodging: Count_ | None = None
    cases: list[Count_] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        def rows(items: list[Count_]) -> list[dict[str, Any]]:
            return [{"code": c.code, "label": c.label, "count": c.count} for c in items]

        return {
            "foreigners_total": self.foreigners_total,
            "by_kecamatan": rows(self.by_kecamatan),
            "by_nationality": rows(self.by_nationality),
            "permits_expiring_30_days": self.expiring.count if self.expiring else 0,
            "open_violations": rows(self.violations),
            "late_lodging_this_month": self.late_lodging.count if self.late_lodging else 0,
            "open_cases": rows(self.cases),
        }


def _url(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in ("", None)})
    return reverse(name) + (f"?{query}" if query else "")


def kecamatan_counts(*, actor: Actor) -> dict[str, int]:
    """Foreigners in the register per kecamatan code (every kecamatan of
    Lampung Barat, zero included), scoped to the actor."""
    counts = dict.fromkeys(
        Region.objects.filter(level=Region.Level.DISTRICT, code__startswith=LAMPUNG_BARAT)
        .order_by("code")
        .values_list("code", flat=True),
        0,
    )
    rows = (
        oversight.foreigners_visible(actor=actor)
        .filter(kecamatan__isnull=False)
        .values_list("kecamatan__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    for code, n in rows:
        counts[code] = n
    return counts


def nationality_counts(*, actor: Actor) -> list[tuple[str, int]]:
    rows = (
        oversight.foreigners_visible(actor=actor)
        .values_list("person__nationality")
        .annotate(n=Count("id"))
        .order_by("-n", "person__nationality")
    )
    return [(code, n) for code, n in rows]


def _month_start() -> datetime:
    today = timezone.localdate()
    return timezone.make_aware(datetime.combine(today.replace(day=1), time.min))


def dashboard(*, actor: Actor) -> Dashboard:
    names = dict(
        Region.objects.filter(
            level=Region.Level.DISTRICT, code__startswith=LAMPUNG_BARAT
        ).values_list("code", "name")
    )
    board = Dashboard()
    kecamatan = kecamatan_counts(actor=actor)
    board.by_kecamatan = [
        Count_(code, names.get(code, code), n, _url("oversight_office:list", kecamatan=code))
        for code, n in sorted(kecamatan.items(), key=lambda item: names.get(item[0], item[0]))
    ]
    board.by_nationality = [
        Count_(code, code, n, _url("oversight_office:list", nationality=code))
        for code, n in nationality_counts(actor=actor)
    ]
    board.foreigners_total = oversight.foreigners_visible(actor=actor).count()
    expiring = oversight.foreigner_list(
        actor=actor, filters=oversight.ForeignerFilters(expiring_within=EXPIRING_DAYS)
    ).count()
    board.expiring = Count_(
        "expiring",
        "",
        expiring,
        _url("oversight_office:list", expiring_within=EXPIRING_DAYS),
    )
    for kind, label in ViolationKind.choices:
        n = oversight.violation_list(actor=actor, status=ViolationStatus.OPEN, kind=kind).count()
        board.violations.append(
            Count_(
                kind, str(label), n, _url("oversight_office:violations", status="open", kind=kind)
            )
        )
    late = lodging.late_reports(actor=actor).filter(reported_at__gte=_month_start()).count()
    board.late_lodging = Count_("late", "", late, _url("oversight_office:lodging"))
    by_status = dict(
        cases_visible(actor=actor)
        .exclude(status=CaseStatus.CLOSED)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    board.cases = [
        Count_(
            status,
            str(label),
            by_status.get(status, 0),
            _url("enforcement_office:list", status=status),
        )
        for status, label in CaseStatus.choices
        if status != CaseStatus.CLOSED
    ]
    return board
