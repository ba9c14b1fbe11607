"""Deterministic synthetic names built from syllables: no real person's name."""

from __future__ import annotations

import random

from simi.screening.entities import Entity

SYLLABLES = (
    "ka", "ri", "mu", "to", "sa", "ne", "lo", "wi", "da", "pe", "gu", "ha", "ti", "ro",
    "ba", "ze", "fa", "ku", "me", "yo", "ra", "si", "no", "tu", "la", "ge", "bi", "do",
)  # fmt: skip


def synthetic_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def synthetic_entities(count: int, seed: int = 7) -> list[Entity]:
    rng = random.Random(seed)
    entities = []
    for number in range(count):
        words = [synthetic_word(rng) for _ in range(rng.randint(1, 3))]
        year = rng.randint(1940, 2005)
        entities.append(
            Entity(
                id=f"syn-{number:07d}",
                names=(" ".join(words),),
                birth_dates=(f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",),
                countries=(rng.choice(("ID", "MY", "SG", "TH", "PH", "AU")),),
            )
        )
    return entities
