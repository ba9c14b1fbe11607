"""A SYNTHETIC training history: invented people, invented events.

Used when SIMI's own history is too small or too young to learn from (the
demo register is made on the day it is seeded, so almost nothing happened
before any cutoff). Fixed seed, fixed dates: the same call gives the same
histories. Each person has a hidden propensity that makes both their past
events and their label after the cutoff more likely, so the features carry
a known signal. Nationality and sex are drawn independently of the
propensity: a fair model should flag every group at about the same rate.

Nothing here is written to the database; a model trained on it says
``data_source = synthetic`` everywhere it is shown.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from simi.screening.risk.facts import LodgingFact, SightingFact, ViolationFact
from simi.screening.risk.features import History, ScreeningFact

SEED = 20260611
CUTOFF = date(2025, 6, 30)
HORIZON_DAYS = 180
NATIONALITIES = ("AUS", "CHN", "DEU", "GBR", "IND", "JPN", "KOR", "MYS", "NLD", "USA", "TLS")
SPONSORS = 40


def _days_before(rng: random.Random, cutoff: date, low: int, high: int) -> date:
    return cutoff - timedelta(days=rng.randint(low, high))


def _history(rng: random.Random, index: int, risky: set[int], cutoff: date) -> History:
    propensity = rng.gauss(0.0, 1.0)
    h = History(
        key=f"synthetic:{index}",
        nationality=rng.choice(NATIONALITIES),
        sex=rng.choice("MF"),
    )
    lam = math.exp(1.2 * propensity - 1.2)
    for _ in range(min(6, int(rng.expovariate(1.0) * lam * 2))):
        detected = _days_before(rng, cutoff, 10, 900)
        if rng.random() < 0.6:
            days = max(1, int(rng.expovariate(1 / (10 + 25 * max(propensity, 0)))))
            h.violations.append(
                ViolationFact("overstay", detected, detected - timedelta(days=days), days)
            )
        else:
            h.violations.append(ViolationFact("lodging_without_permit", detected))
    for _ in range(rng.randint(0, 4)):
        check_in = _days_before(rng, cutoff, 1, 360)
        late = rng.random() < 0.1 + 0.2 * (propensity > 0.8)
        h.lodging.append(
            LodgingFact(check_in, check_in + timedelta(days=3), check_in + timedelta(days=1), late)
        )
    # Entries and exits: a frequent short re-entrant is somewhat riskier.
    trips = rng.randint(1, 2) + (
        rng.randint(2, 6) if propensity > 1.0 and rng.random() < 0.6 else 0
    )
    day = cutoff - timedelta(days=360)
    for _ in range(trips):
        day += timedelta(days=rng.randint(1, 40))
        if day >= cutoff:
            break
        h.movements.append(("entry", day))
        short = propensity > 0.8 and rng.random() < 0.7
        day += timedelta(days=rng.randint(1, 6) if short else rng.randint(14, 90))
        if day < cutoff:
            h.movements.append(("exit", day))
    if rng.random() < 0.5:
        sponsor = rng.randrange(SPONSORS)
        h.sponsorships.append((sponsor, _days_before(rng, cutoff, 30, 700)))
        if sponsor in risky:
            h.sponsor_violations[sponsor] = [
                (f"synthetic:other-{sponsor}-{k}", _days_before(rng, cutoff, 5, 400))
                for k in range(rng.randint(1, 4))
            ]
    h.document_expiries.append(
        cutoff
        + timedelta(days=rng.randint(-200, 2500) if propensity > 1.2 else rng.randint(30, 3000))
    )
    if rng.random() < 0.03 * (1 + max(propensity, 0)):
        h.sightings.append(SightingFact(_days_before(rng, cutoff, 1, 300), address_mismatch=True))
    if rng.random() < 0.01 * (1 + 2 * max(propensity, 0)):
        h.sightings.append(SightingFact(_days_before(rng, cutoff, 1, 300), seal_verdict="forged"))
    if rng.random() < 0.05 + 0.05 * max(propensity, 0):
        # A watchlist match a human has not dismissed: mostly weak namesakes.
        score = min(1.0, 0.8 + rng.random() * 0.2)
        lost = rng.random() < 0.02 * (1 + max(propensity, 0))
        h.screenings.append(
            ScreeningFact(_days_before(rng, cutoff, 1, 300), score, lost_stolen=lost)
        )
    # The label: what happens after the cutoff depends on the propensity only.
    chance = 1 / (1 + math.exp(-(2.0 * propensity - 2.4)))
    if rng.random() < chance:
        after = cutoff + timedelta(days=rng.randint(1, HORIZON_DAYS))
        h.violations.append(ViolationFact("overstay", after, after - timedelta(days=3), 3))
    return h


def synthetic_histories(count: int = 3000, seed: int = SEED) -> list[History]:
    """``count`` invented histories around ``CUTOFF`` (deterministic)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    risky = set(rng.sample(range(SPONSORS), k=SPONSORS // 5))
    return [_history(rng, i, risky, CUTOFF) for i in range(count)]


def noise_histories(count: int = 1000, seed: int = SEED) -> list[History]:
    """Histories whose label is a coin flip unrelated to any feature: a model
    trained on them must not be activated (tests, and an operator's check)."""
    rng = random.Random(seed + 1)  # noqa: S311
    out = []
    for i in range(count):
        h = _history(rng, i, set(), CUTOFF)
        h.violations = [v for v in h.violations if v.detected_on <= CUTOFF]
        if rng.random() < 0.3:
            after = CUTOFF + timedelta(days=rng.randint(1, HORIZON_DAYS))
            h.violations.append(ViolationFact("overstay", after, after, 1))
        out.append(h)
    return out
