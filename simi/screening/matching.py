"""Candidate retrieval through inverted indexes, then scoring of the few found.

Retrieval is *complete* for a score threshold ``t``: every entry whose score can
reach ``t`` (no shared document number) is among the candidates. Name weight
0.85 and at most +0.15 from birth date and nationality mean the name
similarity must reach ``n = (t - 0.15) / 0.85`` (0.765 at t = 0.8); an entry
whose birth year conflicts with the query's can add at most -0.12, so at
t > 0.73 it cannot reach ``t`` at all and is not even looked at.

Channels, all at the level of distinct keys (the vocabulary), then postings of
name ids (each name or alias of an entry is one name id):

* token keys: exact key, and keys within the Levenshtein distance that
  ``scoring`` still treats as a typo (``max(len) // 4``), found through a
  PassJoin-style partition index (a key within distance d of another shares
  one of its d + 1 segments at a nearby position) and verified with rapidfuzz;
* transpositions: keys one swap of adjacent letters from the query key, and
  keys of the list's spellings one swap from the query token as written;
* vowel variants: keys of the same vowel skeleton (``spellings``);
* initials: an initial pairs with any token of that first letter;
* joined keys: all keys of a name concatenated, within ``max(len) // 10``
  ("abdulrahman" / "abdul rahman"), same partition index;
* document numbers: exact, always scored.

Layout: name ids are numbered in *blocks* of (name length class, birth-year
bucket): the length class is the token count (with the own-name length for
names with a patronymic), the bucket the entry's birth year, "no date" or
"several years". Postings are sorted arrays of name ids, so the part of a
posting list inside a block is two bisections away. A query first works out
which blocks can reach ``t`` at all (Dice bound of the lengths, birth-year
bonus or penalty) and the fewest query tokens ``m`` a name of those blocks
must match (a name of ``c`` tokens whose alignment totals at most ``T``
has Dice at most ``2 * min(T, q, c) / (q + c)``, and ``T`` is at most the
number of matched query tokens).

Every candidate then matches one of the ``q - m + 1`` query tokens with the
smallest postings (a prefix filter), so only those are expanded, and only
inside the feasible blocks; a common token ("Muhammad", "Siti") is used as a
set to test membership, never walked. With ``m >= 2`` a candidate must also
match a second query token, which set intersections in C check before any
per-name Python runs. The survivors get the exact per-token best sums (query
side and candidate side) and their own birth-date and nationality terms; those
whose bound stays below what they need are dropped, the rest are all scored.
"""

from __future__ import annotations

import gc
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler, Levenshtein

from simi.screening.entities import Entity, Match, Query
from simi.screening.normalize import NormalizedName, name_forms
from simi.screening.scoring import (
    BIRTH_CONFLICT,
    BIRTH_EXACT,
    INITIAL_SIMILARITY,
    MIN_JOINED_SIMILARITY,
    MIN_TOKEN_SIMILARITY,
    NAME_WEIGHT,
    NATIONALITY_SAME,
    VARIANT_SIMILARITY,
    _token_pair,
    score_entities,
    variant_grade,
)
from simi.screening.spellings import transpositions, vowel_skeleton, vowel_variant

# Below this score retrieval is not guaranteed complete (the bound gets loose).
MIN_RETRIEVAL_SCORE = 0.6
_EPSILON = 1e-9
_ROUNDING = 0.00005
# Posting lists up to this length are taken whole instead of cut into blocks.
_SMALL = 48
# Posting lists longer than this get a set for membership tests.
_BIG = 256
_UNKNOWN_CACHE = 20_000


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
    edits contains one segment unchanged. The query substrings probed for
    segment i are the multi-match-aware ones (Li et al., Pass-Join, VLDB 2012):
    shifted by at most i - 1 edits on its left and d - i on its right, fewer
    probes than every shift up to d.
    """

    def __init__(self, divisor: int) -> None:
        self.divisor = divisor
        self.keys: set[str] = set()
        # (length, distance, part, segment) -> the key, or a list of keys
        self._parts: dict[tuple[int, int, int, str], str | list[str]] = {}
        self._plans: dict[int, list[tuple[int, int, list[tuple[int, int, int, int]]]]] = {}

    def add(self, key: str) -> None:
        if key in self.keys:
            return
        self.keys.add(key)
        length = len(key)
        parts = self._parts
        for distance in range(1, length // (self.divisor - 1) + 1):
            for k, (start, size) in enumerate(_segments(length, distance)):
                slot = (length, distance, k, key[start : start + size])
                held = parts.get(slot)
                if held is None:
                    parts[slot] = key
                elif isinstance(held, str):
                    parts[slot] = [held, key]
                else:
                    held.append(key)

    def _plan(self, length: int) -> list[tuple[int, int, list[tuple[int, int, int, int]]]]:
        """For a query length: (other length, distance, [(part, size, low, high)])."""
        plan = self._plans.get(length)
        if plan is None:
            plan = []
            reach = length // (self.divisor - 1) + 1
            for other in range(max(1, length - reach), length + reach + 1):
                distance = max(length, other) // self.divisor
                if distance == 0 or abs(length - other) > distance:
                    continue
                delta = length - other
                spans = []
                for k, (start, size) in enumerate(_segments(other, distance)):
                    low = max(0, start - k, start + delta - (distance - k))
                    high = min(length - size, start + k, start + delta + (distance - k))
                    if low <= high:
                        spans.append((k, size, low, high))
                plan.append((other, distance, spans))
            self._plans[length] = plan
        return plan

    def near(self, query: str, shorter_only: bool = False) -> dict[str, int]:
        """Keys within the allowed distance, with that distance (exact key: 0)."""
        found: dict[str, int] = {query: 0} if query in self.keys else {}
        parts = self._parts
        length = len(query)
        for other, distance, spans in self._plan(length):
            if shorter_only and other > length:
                break
            pool: set[str] = set()
            for k, size, low, high in spans:
                for s in range(low, high + 1):
                    held = parts.get((other, distance, k, query[s : s + size]))
                    if held is None:
                        continue
                    if isinstance(held, str):
                        pool.add(held)
                    else:
                        pool.update(held)
            pool.discard(query)
            if not pool:
                continue
            for key, d, _ in process.extract(
                query, pool, scorer=Levenshtein.distance, score_cutoff=distance, limit=None
            ):
                found[key] = int(d)
        return found

    @classmethod
    def neighbours(
        cls, keys: Iterable[str], divisor: int
    ) -> tuple[_NearIndex, dict[str, list[str]]]:
        """The index of ``keys`` and, for each, its other keys within reach.

        A self-join: keys go in by length, each probing only those already in
        (no longer than itself), and every pair found is recorded both ways.
        """
        index = cls(divisor)
        found: dict[str, list[str]] = {}
        for key in sorted(set(keys), key=lambda k: (len(k), k)):
            mine = found.setdefault(key, [])
            for other in index.near(key, shorter_only=True):
                mine.append(other)
                found[other].append(key)
            index.add(key)
        return index, found


class _Group:
    """Name id ranges of one (route, tokens to match) group of a query plan."""

    __slots__ = ("ranges", "total")

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int]] = []
        self.total = float("inf")  # least token total a name of the group needs


_NONE: tuple[tuple[str, ...], array] = ((), array("d"))


def _similarity(key: str, other: str) -> float:
    """Pair similarity of two different keys within typo reach (``_token_pair``)."""
    # The common case first: a typo that Jaro-Winkler grades at least as high
    # as any variant would be (what _token_pair gives, without the label).
    if Levenshtein.normalized_similarity(key, other) >= MIN_TOKEN_SIMILARITY:
        grade = JaroWinkler.similarity(key, other)
        if grade >= VARIANT_SIMILARITY:
            return grade
    return _token_pair(key, other, key, other)[0]


def _dice(total: float, q: int, c: int) -> float:
    return 2 * min(total, q, c) / (q + c) if q and c else 0.0


class ScreeningIndex:
    """Holds normalized watchlist entries and their inverted indexes, in memory.

    Built in bulk from the entries given; ``add`` after that is allowed and
    makes the next query rebuild the compact layout (O(entries)).
    """

    def __init__(
        self,
        entities: Iterable[Entity],
        *,
        max_candidates: int = 5000,
        common_cap: int | None = None,  # kept for callers; the bound replaced it
    ) -> None:
        self.entities: list[Entity] = []
        self.names: list[tuple[NormalizedName, ...]] = []
        self.max_candidates = max_candidates
        self._documents: dict[str, list[int]] = defaultdict(list)
        self._stale = True
        # Bulk building creates millions of objects and no reference cycles:
        # the cyclic collector would only walk them over and over.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for entity in entities:
                self.add(entity)
            self._freeze()
        finally:
            if collecting:
                gc.enable()
        if collecting:
            # Move the new objects to the oldest generation now (part of the
            # build) rather than in the middle of some query's collection.
            gc.collect()

    def __len__(self) -> int:
        return len(self.entities)

    def add(self, entity: Entity) -> None:
        position = len(self.entities)
        names = tuple(
            form
            for origin, name in enumerate(entity.names)
            for form in name_forms(name, origin)
            if form.tokens
        )
        self.entities.append(entity)
        self.names.append(names)
        for number in set(entity.document_numbers):
            self._documents[number].append(position)
        self._stale = True

    # ------------------------------------------------------------- layout

    def _freeze(self) -> None:
        """(Re)build the block-ordered name ids and every posting structure."""
        entities = self.entities
        years: dict[str, int] = {}
        entity_years: list[str | None] = []
        for entity in entities:
            dated = {d[:4] for d in entity.birth_dates}
            if len(dated) == 1:
                only = next(iter(dated))
                if len(only) == 4:
                    years[only] = 0
                    entity_years.append(only)
                    continue
            entity_years.append("" if dated else None)  # "": several years or odd
        self._year_code = {year: code for code, year in enumerate(sorted(years))}
        undated, several = len(years), len(years) + 1
        self._undated, self._several = undated, several
        bucket_of: list[int] = []
        for year in entity_years:
            code = several if year == "" else undated if year is None else self._year_code[year]
            bucket_of.append(code)

        # Length classes: (tokens, own tokens or 0 when there is no patronymic).
        blocks: dict[tuple[int, int, int], list[tuple[int, NormalizedName]]] = defaultdict(list)
        for position, names in enumerate(self.names):
            bucket = bucket_of[position]
            for name in names:
                own = len(name.own) if name.has_patronymic else 0
                blocks[(len(name.keys), own, bucket)].append((position, name))
        classes = sorted({(c, own) for c, own, _ in blocks})
        self._classes = classes
        class_ids = {cls: i for i, cls in enumerate(classes)}
        self._block_range: dict[tuple[int, int], tuple[int, int]] = {}
        self._class_range: list[tuple[int, int]] = [(0, 0)] * len(classes)
        owner = array("i")
        name_bucket = array("H" if several < 65536 else "i")
        ordered: list[NormalizedName] = []
        for c, own, bucket in sorted(blocks):
            start = len(ordered)
            for position, name in blocks[(c, own, bucket)]:
                owner.append(position)
                ordered.append(name)
                name_bucket.append(bucket)
            cid = class_ids[(c, own)]
            self._block_range[(cid, bucket)] = (start, len(ordered))
            first = self._class_range[cid][0] if self._class_range[cid] != (0, 0) else start
            self._class_range[cid] = (first, len(ordered))
        del blocks
        self._owner = owner
        self._name = ordered
        self._bucket = name_bucket

        by_key: dict[str, list[int]] = defaultdict(list)
        initials: dict[str, list[int]] = defaultdict(list)  # initial tokens, by letter
        by_letter: dict[str, list[int]] = defaultdict(list)  # any token, by first letter
        by_joined: dict[str, list[int]] = defaultdict(list)
        joined_index = _NearIndex(round(1 / (1 - MIN_JOINED_SIMILARITY)))
        # Each spelling of three letters or more as written, with its key: a
        # query token one swap from it pairs with that key.
        spellings: dict[str, str] = {}
        for name_id, name in enumerate(ordered):
            keys = name.keys
            if len(keys) == 1:
                key = keys[0]
                by_key[key].append(name_id)
                letter = name.tokens[0][0]
                by_letter[letter].append(name_id)
                if len(key) == 1:
                    initials[letter].append(name_id)
            else:
                for key in dict.fromkeys(keys):
                    by_key[key].append(name_id)
                for key, token in dict.fromkeys(zip(keys, name.tokens, strict=True)):
                    if len(key) == 1:
                        initials[token[0]].append(name_id)
                for letter in {token[0] for token in name.tokens}:
                    by_letter[letter].append(name_id)
            for key, token in zip(keys, name.tokens, strict=True):
                if len(token) > 2:
                    spellings[token] = key
            joined = "".join(keys)
            by_joined[joined].append(name_id)
        tokens, neighbours = _NearIndex.neighbours(
            (key for key in by_key if len(key) > 1), round(1 / (1 - MIN_TOKEN_SIMILARITY))
        )
        # Pairs edit distance misjudges: adjacent letters swapped, and vowel
        # variants (grouped by the consonants they share).
        skeletons: dict[str, list[str]] = defaultdict(list)
        for key in tokens.keys:
            for other in transpositions(key):
                if other > key and other in tokens.keys:
                    _pair(neighbours, key, other)
            skeleton = vowel_skeleton(key)
            if skeleton is not None:
                skeletons[skeleton].append(key)
        for group in skeletons.values():
            for i, key in enumerate(group):
                for other in group[i + 1 :]:
                    if vowel_variant(key, other):
                        _pair(neighbours, key, other)
        self._skeletons = {skeleton: tuple(group) for skeleton, group in skeletons.items()}
        del skeletons
        # With their pair similarity (what scoring gives that typo), computed once.
        self._neighbours = {
            key: (tuple(found), array("d", [_similarity(key, other) for other in found]))
            for key, found in neighbours.items()
            if found
        }
        del neighbours
        for joined in by_joined:
            joined_index.add(joined)
        # Postings as arrays of machine ints (sorted: built in name id order).
        self._by_key = {key: array("i", ids) for key, ids in by_key.items()}
        self._initials = {letter: array("i", ids) for letter, ids in initials.items()}
        self._by_letter = {letter: array("i", ids) for letter, ids in by_letter.items()}
        self._by_joined = {key: tuple(ids) for key, ids in by_joined.items()}
        self._tokens = tokens
        self._joined = joined_index
        self._spellings = spellings
        # Membership sets of the long posting lists (one int object per name id).
        numbers = list(range(len(ordered)))
        self._sets: dict[int, set[int]] = {
            id(postings): set(map(numbers.__getitem__, postings))
            for table in (self._by_key, self._initials, self._by_letter)
            for postings in table.values()
            if len(postings) > _BIG
        }
        # Near keys of query keys the list does not hold, and keys one swap
        # from a query token as written, as they come.
        self._unknown: dict[str, tuple[tuple[str, ...], array]] = {}
        self._swaps: dict[str, dict[str, float]] = {}
        self._stale = False

    # ---------------------------------------------------------- retrieval

    def candidates(
        self,
        query: Query,
        name: NormalizedName | None = None,
        threshold: float = MIN_RETRIEVAL_SCORE,
    ) -> list[int]:
        """Positions of every entry that could score ``threshold`` or more."""
        if name is not None:
            return self._retrieve(query, name, threshold)
        found: set[int] = set()
        for form in name_forms(query.name):
            found.update(self._retrieve(query, form, threshold))
        return sorted(found)

    def _sources(self, key: str, token: str) -> tuple[list[tuple[float, array]], dict[str, float]]:
        """Posting lists a query token pairs with, with their similarity; and the
        similarity of each near key (for the exact sums)."""
        sources: list[tuple[float, array]] = []
        if len(key) == 1:
            letter = self._by_letter.get(token[0])
            if letter is not None:
                sources.append((INITIAL_SIMILARITY, letter))
            exact = self._by_key.get(key)
            if exact is not None:
                sources.append((1.0, exact))
            return sources, {key: 1.0}
        similar: dict[str, float] = {}
        by_key = self._by_key
        if key in self._tokens.keys:
            similar[key] = 1.0
            sources.append((1.0, by_key[key]))
            others, sims = self._neighbours.get(key, _NONE)
        else:
            cached = self._unknown.get(key)
            others, sims = cached if cached is not None else self._near_unknown(key)
        swapped = self._swapped_tokens(key, token)
        for other, sim in zip(others, sims, strict=True):
            if swapped:
                sim = max(sim, swapped.pop(other, 0.0))
            if sim > 0:
                similar[other] = sim
                sources.append((sim, by_key[other]))
        for other, sim in swapped.items():
            similar[other] = sim
            sources.append((sim, by_key[other]))
        initials = self._initials.get(token[0])
        if initials is not None:
            sources.append((INITIAL_SIMILARITY, initials))
        return sources, similar

    def _swapped_tokens(self, key: str, token: str) -> dict[str, float]:
        """Keys of the list's spellings one swap away from the token as
        written ("ahemd" -> "ahmed", key "ahmad"), with what that pair counts."""
        if len(token) < 3:
            return {}
        found = self._swaps.get(token)
        if found is None:
            spellings = self._spellings
            found = {}
            for spelling in transpositions(token):
                other = spellings.get(spelling)
                if other is not None and other != key and len(other) > 1 and other not in found:
                    found[other] = variant_grade(key, other)
            if len(self._swaps) >= _UNKNOWN_CACHE:
                self._swaps.clear()
            self._swaps[token] = found
        return dict(found) if found else found

    def _near_unknown(self, key: str) -> tuple[tuple[str, ...], array]:
        """Keys near one the list does not hold (a typo, a name not listed):
        within the typo distance, one swap away, or a vowel variant."""
        held = self._tokens.keys
        near = dict.fromkeys(other for other in self._tokens.near(key) if other != key)
        near.update(dict.fromkeys(other for other in transpositions(key) if other in held))
        skeleton = vowel_skeleton(key)
        if skeleton is not None:
            for other in self._skeletons.get(skeleton, ()):
                if vowel_variant(key, other):
                    near[other] = None
        others = tuple(near)
        found = (others, array("d", [_similarity(key, other) for other in others]))
        if len(self._unknown) >= _UNKNOWN_CACHE:
            self._unknown.clear()
        self._unknown[key] = found
        return found

    def _needs(self, query: Query, threshold: float) -> list[float]:
        """Name similarity each birth-year bucket needs (above 1: cannot reach)."""
        nationality = NATIONALITY_SAME if query.nationality else 0.0

        def need(bonus: float) -> float:
            return (threshold - bonus - nationality) / NAME_WEIGHT - _EPSILON

        if not query.birth_date:
            return [need(0.0)] * (self._several + 1)
        needs = [need(BIRTH_CONFLICT)] * (self._several + 1)
        code = self._year_code.get(query.birth_date[:4])
        if code is not None:
            needs[code] = need(BIRTH_EXACT)
        needs[self._several] = need(BIRTH_EXACT)
        needs[self._undated] = need(0.0)
        return needs

    def _plan(
        self, query: Query, name: NormalizedName, needs: list[float]
    ) -> dict[tuple[bool, int], _Group]:
        """The name id ranges that can reach the threshold, grouped by route
        (all tokens, or own names when one side has a patronymic) and by the
        fewest query tokens ``m`` a name there must match."""
        q, q_own = len(name.keys), len(name.own)
        code = self._year_code.get(query.birth_date[:4]) if query.birth_date else None
        groups: list[tuple[float, str | None]]
        if not query.birth_date:
            groups = [(needs[0], None)]
        else:
            groups = [
                (needs[self._several], "year"),
                (needs[self._undated], "undated"),
                (max(needs), "other"),
            ]
        plan: dict[tuple[bool, int], _Group] = {}
        for cid, (c, c_own) in enumerate(self._classes):
            routes = [(False, q, c)]
            if name.has_patronymic and not c_own:
                routes.append((True, q_own, c))
            elif c_own and not name.has_patronymic:
                routes.append((True, q, c_own))
            for goal, group in groups:
                if goal > 1.0:
                    continue
                if group is None or group == "other":
                    blocks = [self._class_range[cid]]
                elif group == "year":
                    blocks = [
                        self._block_range.get((cid, bucket), (0, 0))
                        for bucket in (code, self._several)
                        if bucket is not None
                    ]
                else:
                    blocks = [self._block_range.get((cid, self._undated), (0, 0))]
                blocks = [b for b in blocks if b[1] > b[0]]
                if not blocks:
                    continue
                for own, size, other in routes:
                    if _dice(size, size, other) < goal:
                        continue
                    total = goal * (size + other) / 2
                    entry = plan.get((own, max(1, _ceil(total))))
                    if entry is None:
                        entry = plan[(own, max(1, _ceil(total)))] = _Group()
                    entry.total = min(entry.total, total)
                    entry.ranges.extend(blocks)
        for entry in plan.values():
            entry.ranges.sort()
            merged: list[tuple[int, int]] = []
            for start, end in entry.ranges:
                if merged and start <= merged[-1][1]:
                    if end > merged[-1][1]:
                        merged[-1] = (merged[-1][0], end)
                else:
                    merged.append((start, end))
            entry.ranges = merged
        return plan

    def _retrieve(self, query: Query, name: NormalizedName, threshold: float) -> list[int]:
        if self._stale:
            self._freeze()
        documents = {p for n in query.document_numbers for p in self._documents.get(n, [])}
        if not name.keys:
            return sorted(documents)
        # Scores are rounded to 4 decimals: 0.79996 is reported as 0.8.
        threshold = max(threshold, MIN_RETRIEVAL_SCORE) - _ROUNDING
        keys, tokens = name.keys, name.tokens
        q = len(keys)
        needs = self._needs(query, threshold)
        plan = self._plan(query, name, needs)
        sources: list[list[tuple[float, array]]] = []
        similar: list[dict[str, float]] = []
        for key, token in zip(keys, tokens, strict=True):
            found, near = self._sources(key, token)
            sources.append(found)
            similar.append(near)
        bounds: dict[int, float] = {}
        if plan:
            cost = [sum(len(postings) for _, postings in found) for found in sources]
            order = sorted(range(q), key=lambda i: (cost[i], i))
            # The own-name route aligns the own tokens of the side that has a
            # patronymic with all tokens of the other side.
            own_route = [i for i in order if i < len(name.own)] if name.has_patronymic else order
            chosen: set[int] = set()
            for (own, m), group in plan.items():
                route = own_route if own else order
                # Every name of the group matches one of the len(route) - m + 1
                # cheapest tokens, with a pair similarity that reaches the total
                # it needs even with every other token perfect.
                floor = group.total - (len(route) - 1) - _EPSILON
                found_sets = {
                    i: self._expand(sources[i], group.ranges, floor)
                    for i in route[: len(route) - m + 1]
                }
                if m < 2:
                    for expanded in found_sets.values():
                        chosen |= expanded
                    continue
                # ... and m - 1 other tokens of the route: counted with set
                # intersections (unless that costs more than verifying them).
                for i, mine in found_sets.items():
                    if not mine:
                        continue
                    checks = sum(len(sources[j]) for j in route if j != i)
                    if len(mine) * 4 < checks:
                        chosen |= mine
                        continue
                    counts: Counter[int] = Counter()
                    for j in route:
                        if j == i:
                            continue
                        if j in found_sets:
                            counts.update(mine & found_sets[j])
                            continue
                        hits: set[int] = set()
                        for _, postings in sources[j]:
                            members = self._sets.get(id(postings))
                            if members is None:
                                hits.update(filter(mine.__contains__, postings))
                            else:
                                hits |= mine & members
                        counts.update(hits)
                    if m == 2:
                        chosen.update(counts)
                    else:
                        chosen.update(x for x, n in counts.items() if n >= m - 1)
            self._verify(name, similar, chosen, needs, bounds)
        joined = "".join(keys)
        loosest = min(needs)
        if loosest <= 1.0:
            bucket, names = self._bucket, self._name
            for other, d in self._joined.near(joined).items():
                sim = 1 - d / max(len(joined), len(other))
                if sim < loosest:
                    continue
                for name_id in self._by_joined.get(other, ()):
                    if len(names[name_id].keys) != q and sim >= needs[bucket[name_id]]:
                        bounds[name_id] = max(sim, bounds.get(name_id, 0.0))
        owner = self._owner
        if len(bounds) > self.max_candidates:
            ranked = sorted(bounds, key=lambda n: -bounds[n])[: self.max_candidates]
        else:
            ranked = list(bounds)
        return sorted({owner[n] for n in ranked} | documents)

    @staticmethod
    def _expand(
        found: list[tuple[float, array]], ranges: list[tuple[int, int]], floor: float
    ) -> set[int]:
        """Name ids of the posting lists (of pair similarity >= floor) inside
        the given name id ranges."""
        out: set[int] = set()
        for sim, postings in found:
            if sim < floor:
                continue
            if len(postings) <= _SMALL:
                out.update(postings)
                continue
            for start, end in ranges:
                low = bisect_left(postings, start)
                if low == len(postings):
                    break
                high = bisect_left(postings, end, low)
                if high > low:
                    out.update(postings[low:high])
        return out

    def _verify(
        self,
        name: NormalizedName,
        similar: list[dict[str, float]],
        chosen: Iterable[int],
        needs: list[float],
        bounds: dict[int, float],
    ) -> None:
        """Exact per-token best sums of each chosen name (query side and
        candidate side) against what its birth-year bucket needs."""
        keys, tokens = name.keys, name.tokens
        q, q_own = len(keys), len(name.own)
        # Pair similarity of a (longer than one letter) candidate key with each
        # query token; initials are settled on first letters below.
        rows: dict[str, tuple[float, ...]] = {}
        for i, near in enumerate(similar):
            for c_key, sim in near.items():
                if len(c_key) > 1:
                    row = rows.get(c_key) or (0.0,) * q
                    rows[c_key] = (*row[:i], sim, *row[i + 1 :])
        initials = [(i, keys[i], tokens[i][0]) for i in range(q) if len(keys[i]) == 1]
        firsts = [t[0] for t in tokens]
        patronymic = name.has_patronymic
        names, bucket = self._name, self._bucket
        empty = (0.0,) * q
        for name_id in chosen:
            need = needs[bucket[name_id]]
            if need > 1.0:
                continue
            candidate = names[name_id]
            c_keys = candidate.keys
            if c_keys == keys:
                bounds[name_id] = 1.0
                continue
            c = len(c_keys)
            if 2 * min(q, c) / (q + c) < need and patronymic == candidate.has_patronymic:
                continue
            best_q = empty
            total_c = 0.0
            for c_key, c_token in zip(c_keys, candidate.tokens, strict=True):
                if len(c_key) == 1:
                    c_first = c_token[0]
                    row = tuple(
                        1.0
                        if c_key == keys[i]
                        else INITIAL_SIMILARITY
                        if firsts[i] == c_first
                        else 0.0
                        for i in range(q)
                    )
                else:
                    row = rows.get(c_key, empty)
                    if initials:
                        c_first = c_token[0]
                        listed = list(row)
                        for i, _, first in initials:
                            if first == c_first:
                                listed[i] = INITIAL_SIMILARITY
                        row = tuple(listed)
                best = max(row)
                if best:
                    total_c += best
                    best_q = tuple(map(max, best_q, row))
            if not total_c:
                continue
            total = min(sum(best_q), total_c)
            bound = 2 * min(total, q, c) / (q + c)
            if patronymic != candidate.has_patronymic:
                if patronymic:
                    own_total = min(sum(best_q[:q_own]), total)
                    bound = max(bound, _dice(own_total, q_own, c))
                else:
                    bound = max(bound, _dice(total, q, len(candidate.own)))
            if bound >= need:
                bounds[name_id] = bound

    # ------------------------------------------------------------ scoring

    def screen(self, query: Query, threshold: float = 0.0) -> list[Match]:
        """Scored matches at or above ``threshold``, best first, then by entity id.

        A name with two readings (``name_forms``) is screened under both; each
        entry keeps its best score (the first reading on a tie)."""
        best: dict[str, Match] = {}
        for name in name_forms(query.name):
            positions = self._retrieve(query, name, threshold)
            entries = [(self.entities[p], self.names[p]) for p in positions]
            _keep_best(best, score_entities(query, name, entries, threshold))
        return _ranked(best.values())

    def screen_exhaustive(self, query: Query, threshold: float = 0.0) -> list[Match]:
        """Score every entry: the baseline the index is measured against."""
        best: dict[str, Match] = {}
        entries = list(zip(self.entities, self.names, strict=True))
        for name in name_forms(query.name):
            _keep_best(best, score_entities(query, name, entries, threshold))
        return _ranked(best.values())


def _keep_best(best: dict[str, Match], matches: Iterable[Match]) -> None:
    for match in matches:
        held = best.get(match.entity_id)
        if held is None or match.score > held.score:
            best[match.entity_id] = match


def _pair(neighbours: dict[str, list[str]], key: str, other: str) -> None:
    """Record ``key`` and ``other`` as neighbours both ways (once)."""
    mine = neighbours[key]
    if other not in mine:
        mine.append(other)
        neighbours[other].append(key)


def _ceil(value: float) -> int:
    whole = int(value)
    return whole if whole >= value - _EPSILON else whole + 1


def _ranked(matches: Iterable[Match]) -> list[Match]:
    return sorted(matches, key=lambda m: (-m.score, m.entity_id))
