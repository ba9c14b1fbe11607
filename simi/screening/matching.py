"""Candidate retrieval through an inverted index, then scoring of the few found.

Index keys per name token (after ``token_key``):

* the key itself (spelling variants already collapsed), and
* its one-deletion variants for keys of 4+ letters (symmetric-delete, as in
  SymSpell): a query and an entry token within one edit share at least one.

Each key's posting list holds entry positions. A query sums, per entry, the
inverse document frequency of its best-matching key per query token, and only
the best ``max_candidates`` entries are scored. Very common keys (more than
``common_cap`` entries, e.g. "muhamad") are looked up only when the query has
nothing rarer, so "Muhammad X" costs the postings of X, not of Muhammad.
Document numbers have their own exact index and always reach scoring.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from simi.screening.entities import Entity, Match, Query
from simi.screening.normalize import NormalizedName, normalize_name
from simi.screening.scoring import score_entity

DELETE_WEIGHT = 0.6  # a one-edit key is weaker evidence than an exact key


def _deletes(key: str) -> set[str]:
    if len(key) < 4:
        return set()
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


class ScreeningIndex:
    """Holds normalized watchlist entries and their inverted indexes, in memory."""

    def __init__(
        self,
        entities: Iterable[Entity],
        *,
        max_candidates: int = 50,
        common_cap: int | None = None,
    ) -> None:
        self.entities: list[Entity] = []
        self.names: list[tuple[NormalizedName, ...]] = []
        self._exact: dict[str, list[int]] = defaultdict(list)
        self._deleted: dict[str, list[int]] = defaultdict(list)
        self._documents: dict[str, list[int]] = defaultdict(list)
        for entity in entities:
            self.add(entity)
        self.max_candidates = max_candidates
        self.common_cap = common_cap or max(200, len(self.entities) // 50)

    def __len__(self) -> int:
        return len(self.entities)

    def add(self, entity: Entity) -> None:
        position = len(self.entities)
        names = tuple(n for n in (normalize_name(name) for name in entity.names) if n.tokens)
        self.entities.append(entity)
        self.names.append(names)
        exact = {key for name in names for key in name.keys if len(key) > 1}
        for key in exact:
            self._exact[key].append(position)
        for deleted in {d for key in exact for d in _deletes(key)} - exact:
            self._deleted[deleted].append(position)
        for number in set(entity.document_numbers):
            self._documents[number].append(position)

    def _idf(self, postings: int) -> float:
        return math.log(1 + len(self.entities) / (1 + postings))

    def candidates(self, query: Query, name: NormalizedName | None = None) -> list[int]:
        """Positions of entries worth scoring, bounded by ``max_candidates``."""
        name = name or normalize_name(query.name)
        lookups: list[list[tuple[list[int], float]]] = []
        for key in dict.fromkeys(k for k in name.keys if len(k) > 1):
            per_token = [(self._exact.get(key, []), 1.0)]
            for deleted in _deletes(key) | {key}:
                per_token.append((self._deleted.get(deleted, []), DELETE_WEIGHT))
                if deleted != key:
                    per_token.append((self._exact.get(deleted, []), DELETE_WEIGHT))
            lookups.append(per_token)
        size = [sum(len(p) for p, _ in token) for token in lookups]
        rare = [t for t, n in zip(lookups, size, strict=True) if n <= self.common_cap]
        if not rare and lookups:
            rare = [lookups[size.index(min(size))]]  # only common tokens: use the rarest
        totals: dict[int, float] = defaultdict(float)
        for token in rare:
            best: dict[int, float] = {}
            for postings, weight in token:
                value = weight * self._idf(len(postings))
                for position in postings:
                    if best.get(position, 0.0) < value:
                        best[position] = value
            for position, value in best.items():
                totals[position] += value
        ranked = sorted(totals, key=lambda p: (-totals[p], p))[: self.max_candidates]
        documents = {p for n in query.document_numbers for p in self._documents.get(n, [])}
        return sorted(set(ranked) | documents)

    def screen(self, query: Query, threshold: float = 0.0) -> list[Match]:
        """Scored matches at or above ``threshold``, best first, then by entity id."""
        name = normalize_name(query.name)
        matches = [
            score_entity(query, name, self.entities[p], self.names[p])
            for p in self.candidates(query, name)
        ]
        return _ranked(m for m in matches if m.score >= threshold)

    def screen_exhaustive(self, query: Query, threshold: float = 0.0) -> list[Match]:
        """Score every entry: the baseline the index is measured against."""
        name = normalize_name(query.name)
        matches = (
            score_entity(query, name, entity, names)
            for entity, names in zip(self.entities, self.names, strict=True)
        )
        return _ranked(m for m in matches if m.score >= threshold)


def _ranked(matches: Iterable[Match]) -> list[Match]:
    return sorted(matches, key=lambda m: (-m.score, m.entity_id))
