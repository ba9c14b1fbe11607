"""Features of a person from SIMI's own history, as of a date.

Two steps: ``load_histories`` gathers the dated facts of many people in a
fixed number of queries (one per kind of fact, whatever the number of
people): the register's facts from the source named in
``settings.SIMI_RISK_HISTORY`` (``facts.py``), screening's own review items
itself. Then ``features_at`` turns one person's facts into feature values
using only what was known on ``as_of`` (pure Python). Training computes
features before a cutoff and the label after it from the same histories, so
nothing of the future leaks into a feature; scoring uses today.

The model never sees nationality, sex, age or names: they stay in the
history only so the fairness report can group by them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.screening.risk.facts import (
    LodgingFact,
    SightingFact,
    StayFacts,
    ViolationFact,
    history_source,
)

YEAR = timedelta(days=365)
SHORT_STAY_DAYS = 7
INVALID_SEALS = frozenset({"forged", "revoked", "expired"})


@dataclass(frozen=True)
class FeatureSpec:
    name: str
    label: Promise


FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("prior_violations", _("Violations on record")),
    FeatureSpec("max_overstay_days", _("Longest overstay (days)")),
    FeatureSpec("late_lodging_reports", _("Lodging reports made late (last 12 months)")),
    FeatureSpec(
        "unreported_stays",
        _("Seen away from the registered address with no lodging report (last 12 months)"),
    ),
    FeatureSpec("entries_12m", _("Entries into Indonesia (last 12 months)")),
    FeatureSpec("short_stay_share", _("Share of stays shorter than 7 days (last 12 months)")),
    FeatureSpec(
        "sponsor_other_violations", _("Other foreigners of the same sponsor with violations")
    ),
    FeatureSpec("passport_expired", _("Passport expired")),
    FeatureSpec("document_reported_lost", _("Travel document on the lost/stolen list")),
    FeatureSpec("invalid_permit_seal", _("Permit seal found invalid (forged, revoked, expired)")),
    FeatureSpec("watchlist_best_score", _("Best watchlist match score (not dismissed)")),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
LABELS: dict[str, Promise] = {f.name: f.label for f in FEATURES}


def label_of(name: str) -> str:
    return str(LABELS.get(name, name))


# --- dated facts ---------------------------------------------------------------------
# The register's facts (violations, lodging, movements, ...) are defined with
# their provider's interface in ``facts.py``; review items are screening's own.


@dataclass(frozen=True)
class ScreeningFact:
    """A review item about the person: when, how strong, how decided."""

    created_on: date
    top_score: float
    source: str = "watchlist"
    status: str = "open"
    decided_on: date | None = None
    lost_stolen: bool = False


@dataclass
class History:
    """Everything the features and the label read about one person."""

    key: str  # "person:<uuid>" (or a synthetic id)
    nationality: str = ""
    sex: str = "X"
    violations: list[ViolationFact] = field(default_factory=list)
    lodging: list[LodgingFact] = field(default_factory=list)
    movements: list[tuple[str, date]] = field(default_factory=list)  # (entry|exit, date)
    sponsorships: list[tuple[int, date]] = field(default_factory=list)  # (sponsor, from)
    # sponsor -> [(other person's key, violation detected on)]
    sponsor_violations: dict[int, list[tuple[str, date]]] = field(default_factory=dict)
    document_expiries: list[date] = field(default_factory=list)
    sightings: list[SightingFact] = field(default_factory=list)
    screenings: list[ScreeningFact] = field(default_factory=list)


def _stays(movements: list[tuple[str, date]]) -> list[tuple[date, date]]:
    """(entry, exit) pairs in date order; an entry without a later exit is open."""
    stays = []
    entry: date | None = None
    for direction, day in sorted(movements, key=lambda m: (m[1], m[0] == "entry")):
        if direction == "entry":
            entry = day
        elif entry is not None:
            stays.append((entry, day))
            entry = None
    return stays


def _covered(day: date, lodging: list[LodgingFact]) -> bool:
    for report in lodging:
        until = report.check_out or report.check_in + timedelta(days=30)
        if report.check_in - timedelta(days=1) <= day <= until + timedelta(days=1):
            return True
    return False


def features_at(history: History, as_of: date) -> dict[str, float]:
    """Feature values from the facts known on ``as_of`` (inclusive)."""
    year_ago = as_of - YEAR
    violations = [v for v in history.violations if v.detected_on <= as_of]
    overstay = 0
    for v in violations:
        if v.overstay_from is not None:
            days = min(v.overstay_days, max(0, (as_of - v.overstay_from).days + 1))
        else:
            days = v.overstay_days
        overstay = max(overstay, days)
    known_lodging = [r for r in history.lodging if r.reported_on <= as_of]
    late = sum(1 for r in known_lodging if r.is_late and r.check_in > year_ago)
    unreported = sum(
        1
        for s in history.sightings
        if s.address_mismatch
        and year_ago < s.seen_on <= as_of
        and not _covered(s.seen_on, known_lodging)
    )
    moves = [m for m in history.movements if m[1] <= as_of]
    entries = sum(1 for d, day in moves if d == "entry" and day > year_ago)
    recent_stays = [(a, b) for a, b in _stays(moves) if b > year_ago]
    short = sum(1 for a, b in recent_stays if (b - a).days < SHORT_STAY_DAYS)
    sponsors = {s for s, since in history.sponsorships if since <= as_of}
    others = {
        other
        for s in sponsors
        for other, detected in history.sponsor_violations.get(s, [])
        if detected <= as_of and other != history.key
    }
    expiries = [d for d in history.document_expiries if d is not None]
    expired = bool(expiries) and max(expiries) < as_of
    seals = any(s.seal_verdict in INVALID_SEALS and s.seen_on <= as_of for s in history.sightings)
    live = [
        s
        for s in history.screenings
        if s.source == "watchlist"
        and s.created_on <= as_of
        and not (s.status == "dismissed" and s.decided_on is not None and s.decided_on <= as_of)
    ]
    return {
        "prior_violations": float(len(violations)),
        "max_overstay_days": float(overstay),
        "late_lodging_reports": float(late),
        "unreported_stays": float(unreported),
        "entries_12m": float(entries),
        "short_stay_share": short / len(recent_stays) if recent_stays else 0.0,
        "sponsor_other_violations": float(len(others)),
        "passport_expired": 1.0 if expired else 0.0,
        "document_reported_lost": 1.0 if any(s.lost_stolen for s in live) else 0.0,
        "invalid_permit_seal": 1.0 if seals else 0.0,
        "watchlist_best_score": max((s.top_score for s in live), default=0.0),
    }


def label_between(history: History, start: date, end: date) -> int:
    """1 when, after ``start`` and up to ``end``, SIMI recorded a violation
    of the person or a reviewer confirmed a screening hit about them."""
    if any(start < v.detected_on <= end for v in history.violations):
        return 1
    confirmed = (
        s.status == "confirmed" and s.decided_on is not None and start < s.decided_on <= end
        for s in history.screenings
    )
    return 1 if any(confirmed) else 0


def vector(values: dict[str, float], names: Iterable[str] = FEATURE_NAMES) -> list[float]:
    return [float(values.get(n, 0.0)) for n in names]


# --- loading from the database ---------------------------------------------------------


def _local_date(moment: Any) -> date:
    return timezone.localtime(moment).date()


def load_histories(person_ids: Iterable[int] | None = None) -> dict[int, History]:
    """Histories of the given people (everyone the register's history source
    names when None), keyed by person id: one query for the people, the
    source's fixed number for the register's facts, one for review items."""
    from simi.people.models import Person
    from simi.screening.models import ReviewItem

    source = history_source()
    people = Person.objects.all()
    if person_ids is None:
        people = people.filter(pk__in=source.population())
    else:
        people = people.filter(pk__in=list(person_ids))
    rows = list(people.values_list("pk", "public_id", "nationality", "sex"))
    if not rows:
        return {}
    found = source.facts([pk for pk, *_rest in rows])
    histories: dict[int, History] = {}
    for pk, public_id, nationality, sex in rows:
        facts = found.get(pk) or StayFacts()
        histories[pk] = History(
            key=f"person:{public_id}",
            nationality=nationality,
            sex=sex,
            violations=facts.violations,
            lodging=facts.lodging,
            movements=facts.movements,
            sponsorships=facts.sponsorships,
            sponsor_violations=facts.sponsor_violations,
            document_expiries=facts.document_expiries,
            sightings=facts.sightings,
        )
    by_key = {h.key: h for h in histories.values()}
    for key, created, score, source_kind, status, decided, hits in ReviewItem.objects.filter(
        subject_key__in=list(by_key)
    ).values_list(
        "subject_key", "created_at", "top_score", "source", "status", "decided_at", "hits"
    ):
        by_key[key].screenings.append(
            ScreeningFact(
                created_on=_local_date(created),
                top_score=float(score),
                source=source_kind,
                status=status,
                decided_on=_local_date(decided) if decided else None,
                lost_stolen=any(h.get("kind") == "lost_stolen_documents" for h in hits or []),
            )
        )
    return histories


def person_history(person_id: int) -> History | None:
    return load_histories([person_id]).get(person_id)


def person_id_for_key(subject_key: str) -> int | None:
    """The person behind a review subject key ("person:<uuid>"), if any."""
    from simi.people.models import Person

    kind, _sep, value = subject_key.partition(":")
    if kind != "person":
        return None
    try:
        public_id = uuid.UUID(value)
    except ValueError:
        return None
    return Person.objects.filter(public_id=public_id).values_list("pk", flat=True).first()
