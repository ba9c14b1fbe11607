"""Candidate retrieval through inverted indexes, then scoring of the few found.

Retrieval is *complete* for a score threshold ``t``: every entry whose score can
reach ``t`` (no shared document number) is among the candidates. Name weight
0.85 and at most +0.15 from birth date and nationality mean the name
similarity must reach ``n = (t - 0.15) / 0.85`` (0.765 at t = 0.8).

Channels, all at the level of distinct keys (the vocabulary), then postings of
name ids (each name or alias of an entry is one name id):

* token keys: exact key, and keys within the Levenshtein distance that
  ``scoring`` still treats as a typo (``max(len) // 4``), found through a
  PassJoin-style partition index (a key within distance d of another shares
  one of its d + 1 segments at a nearby position) and verified with rapidfuzz;
* initials: an initial pairs with any token of that first letter;
* joined keys: all keys of a name concatenated, within ``max(len) // 10``
  ("abdulrahman" / "abdul rahman"), same partition index;
* document numbers: exact, always scored.

Bound instead of top-N: a name with ``c`` tokens whose greedy alignment with a
query of ``q`` tokens totals at most ``T`` has Dice at most
``2 * min(T, c) / (q + c)``, and over all ``c`` at most ``2T / (q + T)``. Query
tokens are ordered by posting size; the commonest are left unexpanded while the
names matching only them could not reach ``n`` (a prefix filter), so "Muhammad
X" costs the postings of X. The expanded postings give per-name partial sums;
names whose upper bound (partial sum + unexpanded tokens, or exactly computed
for the survivors) stays below ``n`` are dropped, the rest are all scored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from simi.screening.entities import Entity, Match, Query
from simi.screening.normalize import NormalizedName, normalize_name
from simi.screening.scoring import (
    INITIAL_SIMILARITY,
    MAX_OTHER_BONUS,
    MIN_JOINED_SIMILARITY,
    MIN_TOKEN_SIMILARITY,
    NAME_WEIGHT,
    _token_pair,
    score_entity,
)

# Below this score retrieval is not guaranteed complete (the bound gets loose).
MIN_RETRIEVAL_SCORE = 0.6
_EPSILON = 1e-9


def _segments(length: int, distance: int) -> list[tuple[int, int]]:
    """(start, length) of ``distance + 1`` near-equal parts of a string."""
    parts = distance + 1
    base, extra = divmod(length, parts)
    spans, start = [], 0
    for k in range(parts):
        size = base + (1 if k >= parts - extra else 0)
        spans.append((start, size))
        start += size
    return spans


class _NearIndex:
    """Strings within ``max(len) // divisor`` edits of a query (PassJoin partitions).

    Each key of length L is split into d + 1 segments for every d a query of
    any length could be allowed (d <= L // (divisor - 1)); a query within d
    edits contains one segment unchanged, shifted by at most d.
    """

    def __init__(self, divisor: int) -> None:
        self.divisor = divisor
        self.keys: set[str] = set()
        self._parts: dict[tuple[int, int, int, str], list[str]] = defaultdict(list)

    def add(self, key: str) -> None:
        if key in self.keys:
            return
        self.keys.add(key)
        length = len(key)
        for distance in range(1, length // (self.divisor - 1) + 1):
            for k, (start, size) in enumerate(_segments(length, distance)):
                self._parts[(length, distance, k, key[start : start + size])].append(key)

    def near(self, query: str) -> dict[str, int]:
        """Keys within the allowed distance, with that distance (exact key: 0)."""
        found: dict[str, int] = {query: 0} if query in self.keys else {}
        length = len(query)
        reach = length // (self.divisor - 1) + 1
        for other in range(max(1, length - reach), length + reach + 1):
            distance = max(length, other) // self.divisor
            if distance == 0 or abs(length - other) > distance:
                continue
            pool: set[str] = set()
            for k, (start, size) in enumerate(_segments(other, distance)):
                low, high = max(0, start - distance), min(length - size, start + distance)
                for s in range(low, high + 1):
                    pool.update(self._parts.get((other, distance, k, query[s : s + size]), ()))
            pool.discard(query)
            for key, d, _ in process.extract(
                query, pool, scorer=Levenshtein.distance, score_cutoff=distance, limit=None
            ):
                found[key] = int(d)
        return found


class ScreeningIndex:
    """Holds normalized watchlist entries and their inverted indexes, in memory."""

    def __init__(
        self,
        entities: Iterable[Entity],
        *,
        max_candidates: int = 5000,
        common_cap: int | None = None,  # kept for callers; the bound replaced it
    ) -> None:
        self.entities: list[Entity] = []
        self.names: list[tuple[NormalizedName, ...]] = []
        self._owner: list[int] = []  # name id -> entity position
        self._name: list[NormalizedName] = []  # name id -> normalized name
        self._sizes: list[tuple[int, bool]] = []  # name id -> (tokens, has patronymic)
        self._by_key: dict[str, list[int]] = defaultdict(list)
        self._by_letter: dict[str, list[int]] = defaultdict(list)  # any token's first letter
        self._initials: dict[str, list[int]] = defaultdict(list)  # initial tokens only
        self._by_joined: dict[str, list[int]] = defaultdict(list)
        self._tokens = _NearIndex(round(1 / (1 - MIN_TOKEN_SIMILARITY)))
        self._joined = _NearIndex(round(1 / (1 - MIN_JOINED_SIMILARITY)))
        self._documents: dict[str, list[int]] = defaultdict(list)
        self.max_candidates = max_candidates
        for entity in entities:
            self.add(entity)

    def __len__(self) -> int:
        return len(self.entities)

    def add(self, entity: Entity) -> None:
        position = len(self.entities)
        names = tuple(n for n in (normalize_name(name) for name in entity.names) if n.tokens)
        self.entities.append(entity)
        self.names.append(names)
        for name in names:
            name_id = len(self._name)
            self._owner.append(position)
            self._name.append(name)
            self._sizes.append((len(name.keys), name.has_patronymic))
            for key in dict.fromkeys(name.keys):
                self._by_key[key].append(name_id)
                if len(key) > 1:
                    self._tokens.add(key)
            for key, token in dict.fromkeys(zip(name.keys, name.tokens, strict=True)):
                if len(key) == 1:
                    self._initials[token[0]].append(name_id)
            for letter in dict.fromkeys(token[0] for token in name.tokens):
                self._by_letter[letter].append(name_id)
            joined = "".join(name.keys)
            self._by_joined[joined].append(name_id)
            self._joined.add(joined)
        for number in set(entity.document_numbers):
            self._documents[number].append(position)

    def candidates(
        self,
        query: Query,
        name: NormalizedName | None = None,
        threshold: float = MIN_RETRIEVAL_SCORE,
    ) -> list[int]:
        """Positions of every entry that could score ``threshold`` or more."""
        name = name or normalize_name(query.name)
        documents = {p for n in query.document_numbers for p in self._documents.get(n, [])}
        if not name.keys:
            return sorted(documents)
        need = (max(threshold, MIN_RETRIEVAL_SCORE) - MAX_OTHER_BONUS) / NAME_WEIGHT - _EPSILON
        keys, tokens = name.keys, name.tokens
        size, own = len(keys), len(name.own)
        # Per query token: candidate keys with their pair similarity, and its cost.
        similar: list[dict[str, float]] = []
        cost: list[int] = []
        for key, token in zip(keys, tokens, strict=True):
            if len(key) == 1:
                similar.append({})
                cost.append(len(self._by_letter.get(token[0], ())) + len(self._by_key.get(key, ())))
                continue
            near = {
                other: _token_pair(key, other, key, other)[0] if d else 1.0
                for other, d in self._tokens.near(key).items()
            }
            similar.append({k: v for k, v in near.items() if v > 0})
            postings = sum(len(self._by_key.get(k, ())) for k in similar[-1])
            cost.append(postings + len(self._initials.get(token[0], ())))

        # Leave the commonest tokens unexpanded while names matching only them
        # cannot reach ``need`` (in the full-name and own-name comparisons).
        def reachable(total: float, of: int) -> bool:
            return of > 0 and 2 * total / (of + total) >= need

        unexpanded: list[int] = []
        for i in sorted(range(size), key=lambda i: (-cost[i], i)):
            trial = [*unexpanded, i]
            in_own = sum(1 for j in trial if j < own)
            if reachable(len(trial), size) or (own < size and reachable(in_own, own)):
                break
            unexpanded = trial
        partial: dict[int, float] = defaultdict(float)
        for i in range(size):
            if i in unexpanded:
                continue
            best: dict[int, float] = {}
            if len(keys[i]) == 1:
                for name_id in self._by_letter.get(tokens[i][0], ()):
                    best[name_id] = 1.0
                for name_id in self._by_key.get(keys[i], ()):
                    best[name_id] = 1.0
            else:
                for name_id in self._initials.get(tokens[i][0], ()):
                    best[name_id] = INITIAL_SIMILARITY
                for key, sim in sorted(similar[i].items(), key=lambda kv: -kv[1]):
                    for name_id in self._by_key.get(key, ()):
                        if best.get(name_id, 0.0) < sim:
                            best[name_id] = sim
            for name_id, sim in best.items():
                partial[name_id] += sim
        slack = float(len(unexpanded))
        bounds: dict[int, float] = {}
        patronymic = name.has_patronymic
        sizes = self._sizes
        for name_id, total in partial.items():
            c, c_patronymic = sizes[name_id]
            bound = 2 * min(total + slack, size, c) / (size + c)
            if bound < need and patronymic != c_patronymic:
                bound = self._bound(name, self._name[name_id], total + slack)
            if bound >= need:
                bound = self._bound(name, self._name[name_id], self._total(name, similar, name_id))
                if bound >= need:
                    bounds[name_id] = bound
        joined = "".join(keys)
        for other, d in self._joined.near(joined).items():
            if 1 - d / max(len(joined), len(other)) >= need:
                for name_id in self._by_joined.get(other, ()):
                    bounds[name_id] = 1.0
        ranked = sorted(bounds, key=lambda n: -bounds[n])[: self.max_candidates]
        return sorted({self._owner[n] for n in ranked} | documents)

    def _total(self, query: NormalizedName, similar: list[dict[str, float]], name_id: int) -> float:
        """Sum over query tokens of their best pair similarity with this name."""
        candidate = self._name[name_id]
        total = 0.0
        for key, token, near in zip(query.keys, query.tokens, similar, strict=True):
            best = 0.0
            for c_key, c_token in zip(candidate.keys, candidate.tokens, strict=True):
                if key == c_key:
                    sim = 1.0
                elif len(key) == 1 or len(c_key) == 1:
                    sim = INITIAL_SIMILARITY if token[0] == c_token[0] else 0.0
                else:
                    sim = near.get(c_key, 0.0)
                best = max(best, sim)
            total += best
        return total

    @staticmethod
    def _bound(query: NormalizedName, candidate: NormalizedName, total: float) -> float:
        """Upper bound of the token-alignment name similarity given a token total."""
        q, c = len(query.keys), len(candidate.keys)
        bound = 2 * min(total, q, c) / (q + c)
        if query.has_patronymic != candidate.has_patronymic:
            q_own, c_own = len(query.own), len(candidate.own)
            if q_own and c_own:
                bound = max(bound, 2 * min(total, q_own, c_own) / (q_own + c_own))
        return bound

    def screen(self, query: Query, threshold: float = 0.0) -> list[Match]:
        """Scored matches at or above ``threshold``, best first, then by entity id."""
        name = normalize_name(query.name)
        matches = [
            score_entity(query, name, self.entities[p], self.names[p])
            for p in self.candidates(query, name, threshold)
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
