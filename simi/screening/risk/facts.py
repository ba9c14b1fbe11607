"""The dated facts of a person's stay the risk model learns from, and the
interface of the domain that records them.

Screening sits below the register (oversight) and never reads it itself:
the provider named in ``settings.SIMI_RISK_HISTORY`` implements
``RiskHistorySource`` and returns these facts, which ``features.py`` turns
into feature values. What screening knows itself (its review items, hence
the watchlist score and lost/stolen hits) it reads itself.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from django.conf import settings

from simi.core.hooks import named


@dataclass(frozen=True)
class ViolationFact:
    kind: str
    detected_on: date
    overstay_from: date | None = None
    overstay_days: int = 0


@dataclass(frozen=True)
class LodgingFact:
    check_in: date
    check_out: date | None
    reported_on: date
    is_late: bool


@dataclass(frozen=True)
class SightingFact:
    seen_on: date
    address_mismatch: bool = False
    seal_verdict: str = ""


@dataclass
class StayFacts:
    """What the register knows of one person, every fact with its date
    (local dates in Asia/Jakarta)."""

    violations: list[ViolationFact] = field(default_factory=list)
    lodging: list[LodgingFact] = field(default_factory=list)
    movements: list[tuple[str, date]] = field(default_factory=list)  # (entry|exit, date)
    sponsorships: list[tuple[int, date]] = field(default_factory=list)  # (sponsor, from)
    # sponsor -> [(other person's key "person:<uuid>", violation detected on)]
    sponsor_violations: dict[int, list[tuple[str, date]]] = field(default_factory=dict)
    document_expiries: list[date] = field(default_factory=list)
    sightings: list[SightingFact] = field(default_factory=list)


class RiskHistorySource(Protocol):
    """What the domain that keeps the register implements for the risk model."""

    def population(self) -> Any:
        """The ids of the people training learns from (everyone in the
        register): an iterable of ``Person`` primary keys, or a values-list
        queryset of them so that it runs as a subquery."""
        ...

    def facts(self, person_ids: Collection[int]) -> dict[int, StayFacts]:
        """The facts of these people, keyed by person id (people it knows
        nothing of may be left out), in a fixed number of queries whatever
        the number of people. Scoring asks for one person, training for
        everyone."""
        ...


def history_source() -> RiskHistorySource:
    source: RiskHistorySource = named(settings.SIMI_RISK_HISTORY)
    return source
