"""The fairness and oversight report (``screening:report``): flag and
confirm rates by nationality and by sex against the overall rate (the
four-fifths rule), and the drift of risk scores month by month.

Read from ``ScreeningRecord`` (one per screened person and subject),
scoped to the reader's offices like every other screening read.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from simi.accounts.actors import Actor
from simi.accounts.scoping import scope_by_office
from simi.audit.services import audit_record
from simi.screening.access import REPORT, require_capability
from simi.screening.codes import Action
from simi.screening.models import ReviewItem, RiskModel, ScreeningRecord
from simi.screening.risk import metrics

# Groups with fewer screened people than this are shown as "too few to
# judge": a rate of 1 in 5 says nothing about a nationality.
MIN_GROUP = 30
DEFAULT_DAYS = 365
DRIFT_DAYS = 30
# Common reading of the population stability index.
PSI_MINOR = 0.1
PSI_MAJOR = 0.25
SEX_LABELS = {"M": "M", "F": "F", "X": "X", "": "?"}


@dataclass(frozen=True)
class GroupRow:
    group: str
    screened: int
    flagged: int
    confirmed: int
    flag_rate: float | None
    flag_ratio: float | None
    flag_outside: bool
    confirm_rate: float | None
    confirm_ratio: float | None
    confirm_outside: bool
    too_few: bool


@dataclass(frozen=True)
class Dimension:
    name: str  # nationality | sex
    overall_flag_rate: float | None
    overall_confirm_rate: float | None
    rows: list[GroupRow]


@dataclass(frozen=True)
class MonthDrift:
    month: str  # YYYY-MM
    count: int
    mean: float | None
    histogram: list[int]


@dataclass
class FairnessReport:
    since: date
    until: date
    min_group: int
    screened: int
    dimensions: list[Dimension]
    months: list[MonthDrift]
    model_version: str = ""
    model_source: str = ""
    psi: float | None = None
    psi_window: tuple[date, date] | None = None
    training_histogram: list[int] = field(default_factory=list)
    recent_histogram: list[int] = field(default_factory=list)


def records(*, actor: Actor, since: date, until: date) -> QuerySet[ScreeningRecord]:
    user = require_capability(actor, REPORT)
    start = timezone.make_aware(datetime.combine(since, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), datetime.min.time()))
    found = ScreeningRecord.objects.filter(screened_at__gte=start, screened_at__lt=end)
    return scope_by_office(found, user)


def _dimension(found: QuerySet[ScreeningRecord], column: str, min_group: int) -> Dimension:
    counted = (
        found.values(column)
        .annotate(
            screened=Count("id"),
            flagged=Count("id", filter=Q(review_item__isnull=False)),
            confirmed=Count("id", filter=Q(review_item__status=ReviewItem.Status.CONFIRMED)),
        )
        .order_by(column)
    )
    flags: dict[str, tuple[int, int]] = {}
    confirms: dict[str, tuple[int, int]] = {}
    for row in counted:
        group = row[column] or ""
        group = SEX_LABELS.get(group, group) if column == "sex" else (group or "?")
        flags[group] = (row["screened"], row["flagged"])
        confirms[group] = (row["screened"], row["confirmed"])
    overall_flag, flag_rows = metrics.four_fifths(flags, min_size=min_group)
    overall_confirm, confirm_rows = metrics.four_fifths(confirms, min_size=min_group)
    by_group = {r.group: r for r in confirm_rows}
    rows = []
    for f in flag_rows:
        c = by_group[f.group]
        rows.append(
            GroupRow(
                group=f.group,
                screened=f.size,
                flagged=f.count,
                confirmed=c.count,
                flag_rate=f.rate,
                flag_ratio=f.ratio,
                flag_outside=f.flagged,
                confirm_rate=c.rate,
                confirm_ratio=c.ratio,
                confirm_outside=c.flagged,
                too_few=f.too_few,
            )
        )
    return Dimension(column, overall_flag, overall_confirm, rows)


def _months(found: QuerySet[ScreeningRecord]) -> list[MonthDrift]:
    scores: dict[str, list[float]] = defaultdict(list)
    for moment, score in (
        found.filter(risk_score__isnull=False)
        .values_list("screened_at", "risk_score")
        .iterator(chunk_size=2000)
    ):
        if score is not None:
            scores[timezone.localtime(moment).strftime("%Y-%m")].append(score)
    return [
        MonthDrift(
            month=month,
            count=len(values),
            mean=sum(values) / len(values) if values else None,
            histogram=metrics.histogram(values),
        )
        for month, values in sorted(scores.items())
    ]


def fairness_report(
    *,
    actor: Actor,
    since: date | None = None,
    until: date | None = None,
    min_group: int = MIN_GROUP,
) -> FairnessReport:
    until = until or timezone.localdate()
    since = since or until - timedelta(days=DEFAULT_DAYS)
    found = records(actor=actor, since=since, until=until)
    report = FairnessReport(
        since=since,
        until=until,
        min_group=min_group,
        screened=found.count(),
        dimensions=[_dimension(found, c, min_group) for c in ("nationality", "sex")],
        months=_months(found),
    )
    model = RiskModel.objects.filter(status=RiskModel.Status.ACTIVE).first()
    if model is not None:
        report.model_version = model.label
        report.model_source = model.data_source
        report.training_histogram = list(model.metrics.get("score_histogram") or [])
        window = (until - timedelta(days=DRIFT_DAYS - 1), until)
        recent = [
            s
            for s in records(actor=actor, since=window[0], until=window[1])
            .filter(risk_model_version=model.label, risk_score__isnull=False)
            .values_list("risk_score", flat=True)
            if s is not None
        ]
        report.recent_histogram = metrics.histogram(recent)
        report.psi_window = window
        if report.training_histogram:
            report.psi = metrics.psi(report.training_histogram, report.recent_histogram)
    return report


CSV_HEADER = (
    "dimension",
    "group",
    "screened",
    "flagged",
    "flag_rate",
    "flag_ratio",
    "flag_outside_four_fifths",
    "confirmed",
    "confirm_rate",
    "confirm_ratio",
    "confirm_outside_four_fifths",
    "too_few_to_judge",
)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def fairness_csv(*, actor: Actor, since: date | None = None, until: date | None = None) -> str:
    """The group table as CSV (groups are codes: nothing to neutralize), audited."""
    report = fairness_report(actor=actor, since=since, until=until)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for dimension in report.dimensions:
        for r in dimension.rows:
            writer.writerow(
                [
                    dimension.name,
                    r.group,
                    r.screened,
                    r.flagged,
                    _num(r.flag_rate),
                    _num(r.flag_ratio),
                    int(r.flag_outside),
                    r.confirmed,
                    _num(r.confirm_rate),
                    _num(r.confirm_ratio),
                    int(r.confirm_outside),
                    int(r.too_few),
                ]
            )
    audit_record(
        actor=actor,
        action=Action.FAIRNESS_EXPORTED,
        data={
            "since": report.since.isoformat(),
            "until": report.until.isoformat(),
            "screened": report.screened,
        },
    )
    return out.getvalue()
