"""Scoring of one query against one watchlist entry, with its explanation.

score = 0.85 * name similarity + birth-date and nationality adjustments,
clamped to [0, 1]. A perfect name alone gives 0.85, above the default 0.8
threshold; the same name with a conflicting birth date gives 0.70, below it,
so a common name does not flag every namesake.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import JaroWinkler, Levenshtein

from simi.screening.entities import LOST_STOLEN, Entity, Factor, Match, Query
from simi.screening.normalize import NormalizedName
from simi.screening.spellings import VOWELS, is_transposition, vowel_variant

NAME_WEIGHT = 0.85
BIRTH_EXACT = 0.12
BIRTH_SAME_YEAR = 0.04
BIRTH_CONFLICT = -0.15
NATIONALITY_SAME = 0.03
NATIONALITY_DIFFERENT = -0.05
DOCUMENT_OTHER_LIST = 0.15
INITIAL_SIMILARITY = 0.9
# Below this, two tokens are different names, not a typo of one another.
MIN_TOKEN_SIMILARITY = 0.75
# The least a transposition (Ail/Ali) or a vowel variant of a transliterated
# name (Aly/Ali) counts: Jaro-Winkler grades them too harshly in short words
# (no match window at three letters). One such word alone gives 0.72, so it
# needs the birth date to reach 0.8.
VARIANT_SIMILARITY = 0.85
# Joined keys ("abdulrahman" / "abdul rahman") count only from this similarity.
MIN_JOINED_SIMILARITY = 0.9
_TYPO_DIVISOR = round(1 / (1 - MIN_TOKEN_SIMILARITY))  # at most 1 edit in 4 letters
# The most the non-name factors can add when no document number is shared.
MAX_OTHER_BONUS = BIRTH_EXACT + NATIONALITY_SAME


def _token_pair(q_key: str, c_key: str, q_tok: str, c_tok: str) -> tuple[float, str]:
    if q_key == c_key:
        return 1.0, "" if q_tok == c_tok else f"{q_tok}~{c_tok}"
    if len(q_key) == 1 or len(c_key) == 1:
        if q_tok[0] == c_tok[0]:
            full = c_tok if len(q_key) == 1 else q_tok
            return INITIAL_SIMILARITY, f"initials {full[0].upper()}={full}"
        return 0.0, ""
    # This runs for every pair of tokens compared, most of them unrelated:
    # cheap tests first. Normalized Levenshtein similarity >= 0.75 is at most
    # a quarter of the longer key in edits.
    q_len, c_len = len(q_key), len(c_key)
    distance = Levenshtein.distance(q_key, c_key)
    typo = distance <= (q_len if q_len > c_len else c_len) // _TYPO_DIVISOR
    # A swap of adjacent keys' letters costs two edits. A swap in the spelling
    # as written counts too: "Ahemd" is "Ahmed" with two letters swapped,
    # though its key is far from the key of Ahmed ("ahmad").
    swapped = (distance == 2 and q_len == c_len and is_transposition(q_key, c_key)) or (
        len(q_tok) == len(c_tok)
        and (q_tok != q_key or c_tok != c_key)
        and is_transposition(q_tok, c_tok)
    )
    if swapped:
        return variant_grade(q_key, c_key), f"transposed {q_tok}~{c_tok}"
    # Vowel variants start with the same consonant, or both with a vowel.
    q_first, c_first = q_key[0], c_key[0]
    if (q_first == c_first or (q_first in VOWELS and c_first in VOWELS)) and vowel_variant(
        q_key, c_key
    ):
        return variant_grade(q_key, c_key), f"vowel variant {q_tok}~{c_tok}"
    if not typo:
        return 0.0, ""
    # Levenshtein (or a swap, or the vowels) decides *whether* it is a typo;
    # Jaro-Winkler grades it, being kinder to a slip late in a long name than
    # to a different first letter.
    return JaroWinkler.similarity(q_key, c_key), f"typo {q_tok}~{c_tok}"


def variant_grade(q_key: str, c_key: str) -> float:
    """What a transposition or a vowel variant of two keys counts."""
    return max(JaroWinkler.similarity(q_key, c_key), VARIANT_SIMILARITY)


def _token_similarity(
    q_keys: tuple[str, ...],
    q_toks: tuple[str, ...],
    c_keys: tuple[str, ...],
    c_toks: tuple[str, ...],
) -> tuple[float, list[str]]:
    """Order-free Dice over a greedy best alignment of tokens."""
    if not q_keys or not c_keys:
        return 0.0, []
    pairs = []
    for i, (qk, qt) in enumerate(zip(q_keys, q_toks, strict=True)):
        for j, (ck, ct) in enumerate(zip(c_keys, c_toks, strict=True)):
            sim, detail = _token_pair(qk, ck, qt, ct)
            if sim > 0:
                pairs.append((-sim, i, j, detail))
    pairs.sort()
    used_q: set[int] = set()
    used_c: set[int] = set()
    total = 0.0
    details: list[tuple[int, str]] = []
    for neg_sim, i, j, detail in pairs:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        total -= neg_sim
        if detail:
            details.append((i, detail))
    return 2 * total / (len(q_keys) + len(c_keys)), [d for _, d in sorted(details)]


def name_similarity(query: NormalizedName, candidate: NormalizedName) -> tuple[float, list[str]]:
    """Best of full-name and own-name (without patronymic) similarity."""
    if query.tokens == candidate.tokens and query.own == candidate.own:
        # the same spelling: every token pairs with itself
        return 1.0, _titles_note(query, candidate)
    best = _similarity_of_tokens(query, candidate)
    if query.titles or candidate.titles:
        best = (best[0], [*best[1], *_titles_note(query, candidate)])
    return best


def _titles_note(query: NormalizedName, candidate: NormalizedName) -> list[str]:
    if not query.titles and not candidate.titles:
        return []
    return [f"titles ignored: {', '.join(dict.fromkeys(query.titles + candidate.titles))}"]


def _similarity_of_tokens(
    query: NormalizedName, candidate: NormalizedName
) -> tuple[float, list[str]]:
    best = _token_similarity(query.keys, query.tokens, candidate.keys, candidate.tokens)
    # A father's name present on one side only is missing data, not a difference.
    if query.has_patronymic != candidate.has_patronymic:
        q_n, c_n = len(query.own), len(candidate.own)
        own = _token_similarity(query.keys[:q_n], query.own, candidate.keys[:c_n], candidate.own)
        if own[0] > best[0]:
            best = (own[0], [*own[1], "patronymic ignored"])
    # "Abdulrahman" vs "Abdul Rahman": compare the joined keys as well.
    joined_q, joined_c = "".join(query.keys), "".join(candidate.keys)
    if len(query.keys) != len(candidate.keys) and joined_q and joined_c:
        joined = Levenshtein.normalized_similarity(joined_q, joined_c)
        if joined > best[0] and joined >= MIN_JOINED_SIMILARITY:
            best = (joined, ["joined tokens"])
    return best


def _birth_factor(query_date: str | None, entity_dates: tuple[str, ...]) -> Factor | None:
    if not query_date or not entity_dates:
        return None
    if query_date in entity_dates:
        return Factor("birth date", BIRTH_EXACT, "exact")
    for entity_date in entity_dates:
        # A partial entry (1970, 1970-05) consistent with the query is weak support.
        if len(entity_date) < 10 and query_date.startswith(entity_date):
            return Factor("birth date", BIRTH_SAME_YEAR, f"consistent with {entity_date}")
    for entity_date in entity_dates:
        if entity_date[:4] == query_date[:4]:
            return Factor("birth date", BIRTH_SAME_YEAR, "same year")
    return Factor("birth date", BIRTH_CONFLICT, "conflicting")


def _nationality_factor(nationality: str | None, countries: tuple[str, ...]) -> Factor | None:
    if not nationality or not countries:
        return None
    if nationality in countries:
        return Factor("nationality", NATIONALITY_SAME, "same")
    return Factor("nationality", NATIONALITY_DIFFERENT, "different")


def score_entity(
    query: Query,
    query_name: NormalizedName,
    entity: Entity,
    entity_names: tuple[NormalizedName, ...],
) -> Match:
    """Score one entry; the name factor uses the entry's best-matching name or alias."""
    return _score(query, query_name, entity, entity_names, None)


def score_entities(
    query: Query,
    query_name: NormalizedName,
    entries: Iterable[tuple[Entity, tuple[NormalizedName, ...]]],
    threshold: float = 0.0,
) -> list[Match]:
    """``score_entity`` over many entries, those at or above ``threshold``.

    Entries sharing a spelling (common names), a birth date or a nationality
    share one comparison and one factor (factors are immutable).
    """
    memo = _Memo()
    found = []
    for entity, names in entries:
        match = _score(query, query_name, entity, names, memo)
        if match.score >= threshold:
            found.append(match)
    return found


class _Memo:
    __slots__ = ("name_factors", "names", "others")

    def __init__(self) -> None:
        self.names: dict[NormalizedName, tuple[float, list[str]]] = {}
        self.name_factors: dict[tuple[float, tuple[str, ...], str | None], Factor] = {}
        self.others: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[Factor, ...]] = {}


def _score(
    query: Query,
    query_name: NormalizedName,
    entity: Entity,
    entity_names: tuple[NormalizedName, ...],
    memo: _Memo | None,
) -> Match:
    best_sim, best_details, best_index = 0.0, [], 0
    for index, candidate in enumerate(entity_names):
        if memo is None:
            sim, details = name_similarity(query_name, candidate)
        else:
            known = memo.names.get(candidate)
            if known is None:
                known = memo.names[candidate] = name_similarity(query_name, candidate)
            sim, details = known
        if sim > best_sim:
            best_sim, best_details, best_index = sim, details, index
    origin = entity_names[best_index].origin if entity_names else 0
    origin = best_index if origin < 0 else origin
    alias = entity.names[origin] if origin > 0 else None
    name_factor = None
    if memo is not None:
        name_key = (best_sim, tuple(best_details), alias)
        name_factor = memo.name_factors.get(name_key)
    if name_factor is None:
        detail = f"{best_sim:.2f}"
        notes = list(best_details)
        if alias is not None:
            notes.insert(0, f"alias {alias!r}")
        if notes:
            detail += f" ({', '.join(notes)})"
        name_factor = Factor("name", NAME_WEIGHT * best_sim, detail)
        if memo is not None:
            memo.name_factors[name_key] = name_factor
    others = None
    if memo is not None:
        other_key = (entity.birth_dates, entity.countries)
        others = memo.others.get(other_key)
    if others is None:
        others = tuple(
            factor
            for factor in (
                _birth_factor(query.birth_date, entity.birth_dates),
                _nationality_factor(query.nationality, entity.countries),
            )
            if factor is not None
        )
        if memo is not None:
            memo.others[other_key] = others
    factors = [name_factor, *others]
    score = sum(f.contribution for f in factors)
    shared = set(query.document_numbers) & set(entity.document_numbers)
    if shared:
        number = sorted(shared)[0]
        if entity.list_kind == LOST_STOLEN:
            # A lost/stolen document in use is decisive whatever the name says.
            factors.append(Factor("document", 1.0, f"{number} reported lost/stolen"))
            score = 1.0
        else:
            factors.append(Factor("document", DOCUMENT_OTHER_LIST, f"{number} matches"))
            score += DOCUMENT_OTHER_LIST
    return Match(entity.id, round(min(1.0, max(0.0, score)), 4), tuple(factors))
