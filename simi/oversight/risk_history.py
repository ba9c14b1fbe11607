"""The register's history of people, for screening's risk model
(``settings.SIMI_RISK_HISTORY``).

Screening sits below oversight and never reads the register itself: its
``load_histories`` calls ``register.population()`` (whom training learns
from: everyone in the register) and ``register.facts(person_ids)`` (the
dated facts of violations, lodging reports, movements, travel documents,
sightings and sponsorships), for one person when scoring, for everyone when
training. One query per kind of fact, whatever the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from simi.oversight.models import (
    Foreigner,
    LodgingReport,
    Movement,
    Sighting,
    StayPermit,
    TravelDocument,
    Violation,
)
from simi.screening.risk.facts import LodgingFact, SightingFact, StayFacts, ViolationFact
from simi.screening.subjects import person_key


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


class RegisterHistory:
    """The facts of foreigners in the register, keyed by their person's id."""

    def population(self) -> QuerySet[Foreigner, int]:
        return Foreigner.objects.values_list("person_id", flat=True)

    def facts(self, person_ids: Collection[int]) -> dict[int, StayFacts]:
        by_foreigner = dict(
            Foreigner.objects.filter(person_id__in=list(person_ids)).values_list("pk", "person_id")
        )
        if not by_foreigner:
            return {}
        found = {person_id: StayFacts() for person_id in by_foreigner.values()}
        foreigner_ids = list(by_foreigner)

        def of(foreigner_id: int) -> StayFacts:
            return found[by_foreigner[foreigner_id]]

        for f_id, kind, detected, since, days in Violation.objects.filter(
            foreigner_id__in=foreigner_ids
        ).values_list("foreigner_id", "kind", "detected_on", "overstay_from", "overstay_days"):
            of(f_id).violations.append(ViolationFact(kind, detected, since, days))
        for f_id, check_in, check_out, reported, late in LodgingReport.objects.filter(
            foreigner_id__in=foreigner_ids
        ).values_list("foreigner_id", "check_in", "check_out", "reported_at", "is_late"):
            of(f_id).lodging.append(
                LodgingFact(
                    _local_date(check_in),
                    _local_date(check_out) if check_out else None,
                    _local_date(reported),
                    late,
                )
            )
        for f_id, direction, day in Movement.objects.filter(
            foreigner_id__in=foreigner_ids
        ).values_list("foreigner_id", "direction", "date"):
            of(f_id).movements.append((direction, day))
        for f_id, expiry in TravelDocument.objects.filter(
            foreigner_id__in=foreigner_ids
        ).values_list("foreigner_id", "expiry_date"):
            if expiry is not None:
                of(f_id).document_expiries.append(expiry)
        for f_id, seen, mismatch, verdict in Sighting.objects.filter(
            foreigner_id__in=foreigner_ids
        ).values_list("foreigner_id", "seen_at", "address_mismatch", "seal_verdict"):
            of(f_id).sightings.append(SightingFact(_local_date(seen), mismatch, verdict or ""))
        sponsorships = list(
            StayPermit.objects.filter(foreigner_id__in=foreigner_ids, sponsor__isnull=False)
            .values_list("foreigner_id", "sponsor_id", "valid_from")
            .distinct()
        )
        for f_id, sponsor_id, since in sponsorships:
            of(f_id).sponsorships.append((sponsor_id, since))
        sponsor_ids = {s for _f, s, _d in sponsorships}
        if sponsor_ids:
            # Violations of everyone these sponsors guaranteed (one query).
            others: dict[int, list[tuple[str, date]]] = defaultdict(list)
            for sponsor_id, public_id, detected in (
                Violation.objects.filter(foreigner__permits__sponsor_id__in=sponsor_ids)
                .values_list(
                    "foreigner__permits__sponsor_id", "foreigner__person__public_id", "detected_on"
                )
                .distinct()
            ):
                others[sponsor_id].append((person_key(public_id), detected))
            for facts in found.values():
                facts.sponsor_violations = {
                    s: others.get(s, []) for s, _since in facts.sponsorships
                }
        return found


register = RegisterHistory()
