"""Screening benchmark (issue 6 item 8): 1,000,000 synthetic watchlist entries.

Builds a deterministic synthetic watchlist (made-up Indonesian-style and
foreign-style names with Zipf-distributed given names, so common names repeat
as they do in real registers; birth dates, nationalities, some document
numbers, aliases, titles, pre-1972 spellings, patronymics), builds the index,
screens 10,000 queries and prints per-query latency, build time, peak memory,
the listed person found by variant kind (spelling, honorific, order,
transliteration, initial, typo, degree before or after the name, transposed
letters, vowel variant) and recall against an exhaustive scan measured in the
same run (also by variant kind on its sample).

    .venv/bin/python bench/run.py screening          (or: make bench)
    BENCH_SCREEN_ENTRIES=100000 ...                   the 100k mode (default 1000000)
    BENCH_SCREEN_QUERIES=10000 BENCH_SCREEN_SAMPLE=300 BENCH_SCREEN_THRESHOLD=0.8
    .venv/bin/python bench/screening_bench.py 100000  size as an argument

No name here belongs to a real person: given names are drawn from syllables,
with a short list of very common given names (Muhammad, Siti, ...) on top.
"""

from __future__ import annotations

import bisect
import os
import random
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simi.screening.entities import ENTRY_BAN, IMPORTED, LOST_STOLEN, WANTED, Entity, Query

# ---------------------------------------------------------------- name pools


def _words(text: str) -> list[str]:
    return text.split()


# Very common given names on top of the Indonesian pool (the head of the Zipf
# curve): common words, not anyone's full name.
_COMMON_ID = _words(
    "Muhammad Siti Nur Sri Agus Dewi Ahmad Putri Budi Abdul Rizki Ayu Dian Eko Joko "
    "Wahyu Indah Andi Rina Hadi Fitri Bambang Yusuf Dwi Ratna Hendra Lestari Fajar "
    "Wulan Rahmat Dedi Yuni Tri Nurul Arif Hasan Aisyah Bayu Rahayu Setiawan "
    "Fatimah Iwan Kurniawan Ibrahim Wati Santoso Susanti Hidayat Ismail Maya Umar "
    "Slamet Handayani Usman Suryani Heru Utami Zainal Kartika Rudi Safitri Syaiful "
    "Puspita Taufik Anggraini Ilham Permata Irfan Amalia Fauzi Novi Prasetyo Yanti "
    "Nugroho Kusuma Gunawan Wibowo Saputra Pratama Firmansyah Hermawan Cahyo Jaya "
    "Abdullah Rahman Achmad Mohammad Husein Syahrial Khairul Nyoman Joyo Sucipto "
    "Cahyani"
)

_ID_ONSETS = _words(
    "su sri har wi pra tri dwi ra ku ba nu sa ja ma se pu ri yu an in da ka te sy "
    "kh ny ci ju yo ca jo wa ha la mu ti ro"
)
_ID_SYLLABLES = _words(
    "ka ri mu to sa ne lo wi da pe gu ha ti ro ba ya ja cah nyo syah kha ju yo cu "
    "su tu yu nya syi ma na ra la ga de bu jo ci ko"
)
_ID_ENDINGS = _words(
    "no ni to ti wati yanto yadi man wan di ah sih yah ono ini jaya yono ningsih "
    "yati rudin sari ati ardi ul"
)

_WEST_SYLLABLES = _words(
    "mar ten kol ber ver stan lin dor vik sen hal bro wen el ric an tho ma ger hard "
    "lu ka fre da ol iv ad rik ste fan jo han ni klas mi lo"
)
_WEST_ENDINGS = _words("sen berg ova ini ez ski ton ard man ier ov oni eau land")
_CHINESE_FAMILY = _words(
    "Tan Lim Wong Ng Goh Teo Lee Chan Ong Koh Chua Lau Yap Ho Low Sim Toh Kwok "
    "Liang Zhao Qian Sun Zhou Wu Zheng Feng Chen Chu Wei Jiang Shen Han Yang Kang"
)
_CHINESE_GIVEN = _words(
    "wei ming jun hao xin li hui kai jie yi lin mei ling fang hong ying qiang tao "
    "zhi peng yu feng bo ning xiu hua chen long shan an yong tian rui xiao yan"
)
_ARABIC_GIVEN = _words(
    "Mohammed Ahmed Omar Hassan Yousef Khalid Karim Tariq Rashid Samir Faisal Nabil "
    "Walid Hamza Ali Mahmoud Mustafa Ibrahim Abdullah Saeed Jamal Adel Bilal Ziad"
)

_TITLES_BEFORE = ("H.", "Hj.", "Drs.", "Ir.", "Dr.", "Prof. Dr.", "Haji", "Bpk.")
_TITLES_AFTER = (", S.H.", ", S.E.", ", M.Si.", " S.Kom", ", S.Pd.", " SH")
_WEST_COUNTRIES = ("NL", "DE", "GB", "US", "AU", "FR", "RU", "PL", "IT", "ES")
_CHINESE_COUNTRIES = ("CN", "SG", "MY", "TW", "HK")
_ARABIC_COUNTRIES = ("SA", "AE", "EG", "YE", "IQ", "SY", "JO", "PK")


def _pick(rng: random.Random, seq: Sequence):
    return seq[int(rng.random() * len(seq))]


def _int(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


def _made_up(rng: random.Random, count: int, make) -> list[str]:
    seen: dict[str, None] = {}
    while len(seen) < count:
        seen.setdefault(make(rng), None)
    return list(seen)


def _id_word(rng: random.Random) -> str:
    parts = [_pick(rng, _ID_ONSETS)]
    parts += [_pick(rng, _ID_SYLLABLES) for _ in range(_pick(rng, (0, 1, 1, 1, 2)))]
    parts.append(_pick(rng, _ID_ENDINGS))
    return "".join(parts).capitalize()


def _west_word(rng: random.Random) -> str:
    return "".join(_pick(rng, _WEST_SYLLABLES) for _ in range(_int(rng, 2, 3))).capitalize()


def _west_family(rng: random.Random) -> str:
    return _west_word(rng) + _pick(rng, _WEST_ENDINGS)


class _Zipf:
    """Draws from a pool with weight 1 / (rank + 3): a long tail under a few common names."""

    def __init__(self, pool: Sequence[str], exponent: float = 1.0) -> None:
        self.pool = list(pool)
        total, cumulative = 0.0, []
        for rank in range(len(self.pool)):
            total += 1.0 / (rank + 3) ** exponent
            cumulative.append(total)
        self.cumulative, self.total = cumulative, total

    def __call__(self, rng: random.Random) -> str:
        return self.pool[bisect.bisect(self.cumulative, rng.random() * self.total)]


class _Pools:
    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        made_up = [w for w in _made_up(rng, 60_000, _id_word) if w not in _COMMON_ID]
        self.indonesian = _Zipf(_COMMON_ID + made_up)
        self.west_given = _Zipf(_made_up(rng, 15_000, _west_word))
        self.west_family = _Zipf(_made_up(rng, 50_000, _west_family), 0.8)
        self.chinese_family = _Zipf(_CHINESE_FAMILY)
        self.arabic_given = _Zipf(_ARABIC_GIVEN)
        self.arabic_family = _Zipf(
            ["Al-" + w for w in _made_up(rng, 20_000, _west_word)] + _made_up(rng, 10_000, _id_word)
        )


# ------------------------------------------------------------ spelling variants

_NEW_TO_OLD = (("j", "dj"), ("y", "j"), ("c", "tj"), ("u", "oe"), ("kh", "ch"))


def old_spelling(name: str) -> str:
    """Write a name in the pre-1972 spelling (j->dj, y->j, c->tj, u->oe, kh->ch)."""
    out = name.lower()
    for new, old in _NEW_TO_OLD:
        out = out.replace(new, "\0" if new == "j" else old)
        if new == "j":
            out = out.replace("\0", "dj")
    return " ".join(w.capitalize() for w in out.split(" "))


def new_spelling(name: str) -> str:
    """The EYD spelling of an old one (dj->j, j->y, tj->c, oe->u, ch->kh)."""
    out = name.lower().replace("dj", "\0").replace("j", "y").replace("\0", "j")
    out = out.replace("tj", "c").replace("oe", "u").replace("ch", "kh")
    return " ".join(w.capitalize() for w in out.split(" "))


# -------------------------------------------------------------- the watchlist


def _birth_date(rng: random.Random) -> tuple[str, ...]:
    roll = rng.random()
    year = _int(rng, 1940, 2005)
    if roll < 0.9:
        return (f"{year}-{_int(rng, 1, 12):02d}-{_int(rng, 1, 28):02d}",)
    return (str(year),) if roll < 0.95 else ()


def _person(rng: random.Random, pools: _Pools) -> tuple[str, tuple[str, ...], str]:
    """(name, countries, style)."""
    roll = rng.random()
    if roll < 0.65:
        size = rng.choices((1, 2, 3, 4), (12, 45, 33, 10))[0]
        words = [pools.indonesian(rng) for _ in range(size)]
        if size > 1 and rng.random() < 0.06:
            words[-1:] = [_pick(rng, ("bin", "binti")), words[-1]]
        nat = rng.random()
        countries = ("ID",) if nat < 0.92 else () if nat < 0.97 else ("ID", "MY")
        return " ".join(words), countries, "id"
    if roll < 0.8:
        words = [pools.west_given(rng) for _ in range(_pick(rng, (1, 1, 1, 2)))]
        words.append(pools.west_family(rng))
        return " ".join(words), (_pick(rng, _WEST_COUNTRIES),), "west"
    if roll < 0.9:
        given = [_pick(rng, _CHINESE_GIVEN) for _ in range(_pick(rng, (1, 2, 2)))]
        name = f"{pools.chinese_family(rng)} {' '.join(g.capitalize() for g in given)}"
        return name, (_pick(rng, _CHINESE_COUNTRIES),), "chinese"
    words = [pools.arabic_given(rng) for _ in range(_pick(rng, (1, 2)))]
    words.append(pools.arabic_family(rng))
    return " ".join(words), (_pick(rng, _ARABIC_COUNTRIES),), "arabic"


def synthetic_watchlist(count: int, seed: int = 2026) -> list[Entity]:
    """``count`` deterministic synthetic entries (same seed, same list)."""
    rng = random.Random(seed)
    pools = _Pools(seed)
    entities = []
    for number in range(count):
        name, countries, style = _person(rng, pools)
        if style == "id" and rng.random() < 0.12:
            name = old_spelling(name)
        if style == "id" and rng.random() < 0.08:
            name = (
                f"{_pick(rng, _TITLES_BEFORE)} {name}"
                if rng.random() < 0.6
                else name + _pick(rng, _TITLES_AFTER)
            )
        names = [name]
        if rng.random() < 0.1:
            other, _, _ = _person(rng, pools)
            names.append(_pick(rng, (old_spelling(name), new_spelling(name), other)))
        documents: tuple[str, ...] = ()
        kind = rng.choices((IMPORTED, ENTRY_BAN, WANTED, LOST_STOLEN), (80, 12, 6, 2))[0]
        if kind == LOST_STOLEN or rng.random() < 0.25:
            documents = tuple(
                f"{_pick(rng, 'ABCXE')}{rng.randrange(10**7):07d}"
                for _ in range(1 if rng.random() < 0.97 else 2)
            )
        entities.append(
            Entity(
                id=f"wl-{number:07d}",
                names=tuple(dict.fromkeys(names)),
                birth_dates=_birth_date(rng),
                countries=countries,
                document_numbers=documents,
                list_kind=kind,
            )
        )
    return entities


# ----------------------------------------------------------------- queries

VARIANTS = (
    "exact",
    "spelling",
    "honorific",
    "order",
    "transliteration",
    "initial",
    "typo",
    "degree",
    "transposition",
    "vowel",
)

# Academic and professional degrees and titles as people write them, before the
# name (gelar depan, and gelar belakang put in front) or after it, with and
# without dots.
_DEGREES = (
    "S.E.", "S.H.", "S.Kom.", "S.Pd.", "S.Sos.", "S.T.", "S.Ag.", "M.Si.", "M.M.", "M.Kom.",
    "M.Pd.", "M.H.", "Dr.", "Ir.", "Drs.", "Dra.", "H.", "Hj.", "Prof.", "dr.",
)  # fmt: skip
# Vowel spellings of transliterated names seen in registers and passports: the
# bench's own list, kept apart from the matcher's table on purpose (several of
# these are in neither). The matcher does not take Yosef for Yusuf (in
# Indonesia mostly the Christian name Joseph): misses the bench is meant to show.
_VOWEL_VARIANTS = {
    "ali": ("aly",),
    "fatimah": ("fatma", "fatimeh", "fatemah"),
    "husein": ("husain", "hussein", "hossein"),
    "yusuf": ("yousef", "yusof", "yosef"),
    "yousef": ("yusuf", "yusef", "yosef"),
    "umar": ("omar",),
    "omar": ("umar",),
    "usman": ("osman",),
    "muhammad": ("muhamad", "mohamad"),
    "mohammad": ("muhamad", "mohamed"),
    "mohammed": ("muhammed", "mohamed"),
    "ahmad": ("ahmed",),
    "ahmed": ("ahmad",),
    "hassan": ("hasan", "hasen"),
    "hasan": ("hassan", "hasen"),
    "khalid": ("khaled",),
    "karim": ("kareem", "karem"),
    "tariq": ("tareq",),
    "rashid": ("rasheed", "rashed"),
    "samir": ("sameer", "samer"),
    "faisal": ("faysal", "feisal"),
    "nabil": ("nabeel",),
    "walid": ("waleed",),
    "hamza": ("hamzah",),
    "mahmoud": ("mahmud",),
    "mustafa": ("mostafa",),
    "ibrahim": ("ebrahim",),
    "saeed": ("said", "sayed"),
    "adel": ("adil",),
    "bilal": ("belal",),
    "ziad": ("ziyad",),
    "ismail": ("ismael", "esmail"),
    "aisyah": ("aisya", "aesyah"),
    "zainal": ("zaenal", "zeinal"),
    "abdullah": ("abdallah", "abdollah"),
    "khairul": ("khoirul",),
}


def _transliteration_groups() -> dict[str, tuple[str, ...]]:
    from simi.screening.variants import NAME_VARIANTS

    return {s: group for group in NAME_VARIANTS.values() for s in group}


def _variant(kind: str, name: str, rng: random.Random, groups: dict) -> str | None:
    """``name`` changed the way ``kind`` says, or None when it does not apply."""
    words = name.replace(",", " ").split()
    words = [w for w in words if w.rstrip(".") not in {"H", "Hj", "Drs", "Ir", "Dr", "Prof"}]
    words = [w for w in words if w.replace(".", "") not in {"SH", "SE", "MSi", "SKom", "SPd"}]
    plain = " ".join(words)
    if kind == "exact":
        return name
    if kind == "spelling":
        other = new_spelling(plain) if new_spelling(plain) != plain else old_spelling(plain)
        return other if other != plain else None
    if kind == "honorific":
        if plain != name:
            return plain  # the list has the title, the query does not
        if rng.random() < 0.6:
            return f"{_pick(rng, _TITLES_BEFORE)} {plain}"
        return plain + _pick(rng, _TITLES_AFTER)
    if kind == "order":
        if len(words) < 2 or "bin" in words or "binti" in words:
            return None
        cut = rng.randrange(1, len(words))
        return " ".join(words[cut:] + words[:cut])
    if kind == "transliteration":
        spots = [i for i, w in enumerate(words) if w.lower() in groups]
        if not spots:
            return None
        i = _pick(rng, spots)
        others = [s for s in groups[words[i].lower()] if s != words[i].lower()]
        words[i] = _pick(rng, others).capitalize()
        return " ".join(words)
    if kind == "initial":
        own = [w.lower() for w in words]
        own = own[: min((own.index(p) for p in ("bin", "binti") if p in own), default=len(own))]
        if len(own) < 2 or len(words[0]) < 2:
            return None  # an initial stands for a given name, not for the whole own name
        return " ".join([words[0][0] + ".", *words[1:]])
    if kind == "degree":
        if rng.random() < 0.7:  # before the name, sometimes two
            degrees = [_pick(rng, _DEGREES) for _ in range(_pick(rng, (1, 1, 1, 2)))]
            if rng.random() < 0.3:  # written without dots ("SE", "MSi"); "H." keeps its dot
                degrees = [d if d in ("H.", "Hj.") else d.replace(".", "") for d in degrees]
            return " ".join([*degrees, plain])
        degrees = [_pick(rng, _DEGREES[:12]) for _ in range(_pick(rng, (1, 2)))]
        if rng.random() < 0.3:
            return " ".join([plain, *(d.replace(".", "") for d in degrees)])
        return ", ".join([plain, *degrees])
    if kind == "transposition":
        spots = [
            i
            for i, w in enumerate(words)
            if 3 <= len(w) <= 6 and w.lower() not in {"bin", "binti"} and w.isalpha()
        ]
        if not spots:
            return None
        i = _pick(rng, spots)
        word = words[i].lower()
        swaps = [at for at in range(len(word) - 1) if word[at] != word[at + 1]]
        if not swaps:
            return None
        at = _pick(rng, swaps)
        words[i] = (word[:at] + word[at + 1] + word[at] + word[at + 2 :]).capitalize()
        return " ".join(words)
    if kind == "vowel":
        spots = [i for i, w in enumerate(words) if w.lower() in _VOWEL_VARIANTS]
        if not spots:
            return None
        i = _pick(rng, spots)
        words[i] = _pick(rng, _VOWEL_VARIANTS[words[i].lower()]).capitalize()
        return " ".join(words)
    if kind == "typo":
        spots = [
            i for i, w in enumerate(words) if len(w) >= 4 and w.lower() not in {"bin", "binti"}
        ]
        if not spots:
            return None
        i = _pick(rng, spots)
        word, at = words[i].lower(), rng.randrange(1, len(words[i]))
        edit = _pick(rng, ("sub", "ins", "del", "swap"))
        letter = _pick(rng, "aeiounrstkml")
        if edit == "sub":
            word = word[:at] + letter + word[at + 1 :]
        elif edit == "ins":
            word = word[:at] + letter + word[at:]
        elif edit == "del":
            word = word[:at] + word[at + 1 :]
        elif at + 1 < len(word):
            word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        words[i] = word.capitalize()
        return " ".join(words)
    raise ValueError(kind)


def synthetic_queries(
    entities: Sequence[Entity], count: int, seed: int = 99, true_share: float = 0.6
) -> list[tuple[Query, str | None, str]]:
    """(query, listed entity id or None, variant) for ``count`` queries.

    True matches are listed people under one of ``VARIANTS``; the others are
    new synthetic people (who may still share a common name with someone
    listed, as real travellers do). 15 % of queries carry no birth date.
    """
    rng = random.Random(seed)
    pools = _Pools(seed + 1)
    groups = _transliteration_groups()
    out: list[tuple[Query, str | None, str]] = []
    for number in range(count):
        with_birth = rng.random() < 0.85
        if rng.random() < true_share:
            kind = VARIANTS[number % len(VARIANTS)]
            for _ in range(200):
                entity = entities[rng.randrange(len(entities))]
                name = _pick(rng, entity.names)
                varied = _variant(kind, name, rng, groups)
                if varied is not None:
                    break
            else:
                kind, varied = "exact", name
            dates = entity.birth_dates
            # The traveller's full date: the listed one, or one in the listed year.
            birth = (
                dates[0]
                if dates and len(dates[0]) == 10
                else f"{dates[0][:4]}-06-15"
                if dates
                else f"{_int(rng, 1940, 2005)}-05-05"
            )
            countries = entity.countries
            documents = entity.document_numbers if rng.random() < 0.05 else ()
            query = Query(
                f"q{number}",
                varied,
                birth_date=birth if with_birth else None,
                nationality=countries[0] if countries else None,
                document_numbers=documents,
            )
            out.append((query, entity.id, kind))
        else:
            name, countries, _ = _person(rng, pools)
            birth = f"{_int(rng, 1940, 2005)}-{_int(rng, 1, 12):02d}-{_int(rng, 1, 28):02d}"
            query = Query(
                f"q{number}",
                name,
                birth_date=birth if with_birth else None,
                nationality=countries[0] if countries else None,
            )
            out.append((query, None, "none"))
    return out


# ------------------------------------------------------- exhaustive baseline


class ExhaustiveScan:
    """The index-free baseline: every entry whose name can score above zero.

    Built from the normalized names the index holds (``index.names``), not from
    any of its retrieval structures. Per query, under every reading of its name
    (``name_forms``), rapidfuzz compares every query token with every distinct
    token key of the whole list (``process.extract`` with the matcher's typo
    rule, ``Levenshtein.normalized_similarity`` >= 0.75; only keys whose length
    rules that out are skipped), with every key and every spelling as written
    of its length within one OSA edit (a swap of adjacent letters), with every
    key whose consonants other than y and h are the same (vowel variants), and
    the joined query key with every entry's joined key (>= 0.9). An entry
    holding none of those keys, no initial of a query token's letter (or, for
    an initial in the query, no token of that letter) and no shared document
    number has name similarity 0, so a score <= 0.15. Every other entry gets
    the matcher's ``name_similarity`` and, when 0.85 x that + 0.15 (or a shared
    document) can reach the threshold, the matcher's own ``score_entity``; an
    entry keeps its best reading. The result equals scoring all entries (a
    test checks it against ``screen_exhaustive``).
    """

    def __init__(self, index) -> None:
        self.index = index
        by_key: dict[str, list[int]] = defaultdict(list)
        by_joined: dict[str, list[int]] = defaultdict(list)
        initial_letter: dict[str, list[int]] = defaultdict(list)  # 1-letter keys
        any_letter: dict[str, list[int]] = defaultdict(list)
        documents: dict[str, list[int]] = defaultdict(list)
        for position, names in enumerate(index.names):
            keys, letters, initials = set(), set(), set()
            for name in names:
                keys.update(name.keys)
                for key, token in zip(name.keys, name.tokens, strict=True):
                    letters.add(token[0])
                    if len(key) == 1:
                        initials.add(token[0])
                by_joined["".join(name.keys)].append(position)
            for key in keys:
                by_key[key].append(position)
            for letter in letters:
                any_letter[letter].append(position)
            for letter in initials:
                initial_letter[letter].append(position)
            for number in index.entities[position].document_numbers:
                documents[number].append(position)
        self.by_key, self.by_joined, self.documents = by_key, by_joined, documents
        self.initial_letter, self.any_letter = initial_letter, any_letter
        # Grouped by length: a string whose length differs by more than
        # (1 - c) * the longer length cannot reach normalized similarity c.
        self.vocabulary: dict[int, list[str]] = defaultdict(list)
        for key in by_key:
            self.vocabulary[len(key)].append(key)
        self.joined: dict[int, list[str]] = defaultdict(list)
        for key in by_joined:
            self.joined[len(key)].append(key)
        # Every token as written (of three letters or more), with its key.
        self.spelling_key = {
            token: key
            for names in index.names
            for name in names
            for key, token in zip(name.keys, name.tokens, strict=True)
            if len(token) >= 3
        }
        self.spellings: dict[int, list[str]] = defaultdict(list)
        for token in self.spelling_key:
            self.spellings[len(token)].append(token)
        # Every key of three letters or more by its consonants other than y and h.
        self.consonant_keys = [key for key in by_key if len(key) >= 3]
        self.consonants = [_consonants(key) for key in self.consonant_keys]

    @staticmethod
    def _within(groups: dict[int, list[str]], text: str, least: float) -> list[str]:
        """Every string of ``groups`` whose length allows similarity ``least``."""
        out: list[str] = []
        for length, strings in groups.items():
            if abs(length - len(text)) <= (1 - least) * max(length, len(text)) + 1e-9:
                out.extend(strings)
        return out

    def screen(self, query: Query, threshold: float) -> tuple[list, int]:
        """(matches >= threshold, entries scored), under every reading of the name."""
        from simi.screening.normalize import name_forms
        from simi.screening.scoring import (
            MAX_OTHER_BONUS,
            NAME_WEIGHT,
            name_similarity,
            score_entity,
        )

        forms = name_forms(query.name)
        scored: set[int] = set()
        for number in query.document_numbers:
            scored.update(self.documents.get(number, ()))
        for name in forms:
            scored |= self._touched(name)
        # Every entry of ``scored`` gets the matcher's name similarity; only
        # those that could reach the threshold with the best birth date and
        # nationality terms (or a shared document) get the full score_entity.
        entities, names = self.index.entities, self.index.names
        similarity: dict = {}
        found = []
        shared = set(query.document_numbers)
        for position in scored:
            entity = entities[position]
            best_match = None
            for form in forms:
                best = 0.0
                for candidate in names[position]:
                    sim = similarity.get((form, candidate))
                    if sim is None:
                        sim = similarity[(form, candidate)] = name_similarity(form, candidate)[0]
                    best = max(best, sim)
                reach = NAME_WEIGHT * best + MAX_OTHER_BONUS
                if reach < threshold - 0.0001 and not shared.intersection(entity.document_numbers):
                    continue
                match = score_entity(query, form, entity, names[position])
                if best_match is None or match.score > best_match.score:
                    best_match = match
            if best_match is not None and best_match.score >= threshold:
                found.append(best_match)
        return sorted(found, key=lambda m: (-m.score, m.entity_id)), len(scored)

    def _touched(self, name) -> set[int]:
        """Entries with a token key the matcher could pair with one of ``name``'s."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA, Levenshtein

        from simi.screening.scoring import MIN_JOINED_SIMILARITY, MIN_TOKEN_SIMILARITY

        scored: set[int] = set()
        for key, token in zip(name.keys, name.tokens, strict=True):
            if len(key) == 1:
                scored.update(self.any_letter.get(token[0], ()))
                scored.update(self.by_key.get(key, ()))
                continue
            scored.update(self.initial_letter.get(token[0], ()))
            for other, _, _ in process.extract(
                key,
                self._within(self.vocabulary, key, MIN_TOKEN_SIMILARITY),
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=MIN_TOKEN_SIMILARITY,
                limit=None,
            ):
                scored.update(self.by_key[other])
            # Adjacent letters swapped (in the spelling as written, or in the
            # key): one OSA edit among tokens, and keys, of its length.
            for other, _, _ in process.extract(
                token, self.spellings[len(token)], scorer=OSA.distance, score_cutoff=1, limit=None
            ):
                scored.update(self.by_key.get(self.spelling_key[other], ()))
            if len(key) < 3:
                continue
            for other, _, _ in process.extract(
                key, self.vocabulary[len(key)], scorer=OSA.distance, score_cutoff=1, limit=None
            ):
                scored.update(self.by_key[other])
            # Vowel variants keep every consonant but y and h: scan for the same ones.
            for _, _, at in process.extract(
                _consonants(key),
                self.consonants,
                scorer=Levenshtein.distance,
                score_cutoff=0,
                limit=None,
            ):
                scored.update(self.by_key[self.consonant_keys[at]])
        if name.keys:
            joined = "".join(name.keys)
            for other, _, _ in process.extract(
                joined,
                self._within(self.joined, joined, MIN_JOINED_SIMILARITY),
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=MIN_JOINED_SIMILARITY,
                limit=None,
            ):
                scored.update(self.by_joined[other])
        return scored


def _consonants(key: str) -> str:
    return key.translate(_NOT_CONSONANTS)


_NOT_CONSONANTS = str.maketrans("", "", "aeiouyh")


# ------------------------------------------------------------- entry point

ENTRIES = int(os.environ.get("BENCH_SCREEN_ENTRIES", "1000000"))
QUERIES = int(os.environ.get("BENCH_SCREEN_QUERIES", "10000"))
SAMPLE = int(os.environ.get("BENCH_SCREEN_SAMPLE", "300"))
THRESHOLD = float(os.environ.get("BENCH_SCREEN_THRESHOLD", "0.8"))
LOW_THRESHOLD = 0.7  # the staff API's default
RESULTS = Path(__file__).resolve().parent / "results" / "screening.json"


def _peak_rss_mb() -> float:
    """Peak resident set size of this process so far (getrusage ru_maxrss, KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(size: int, queries_count: int = QUERIES, sample: int = SAMPLE, index_class=None) -> dict:
    import gc

    if index_class is None:
        from simi.screening.matching import ScreeningIndex as index_class

    report: dict = {"entries": size, "queries": queries_count, "threshold": THRESHOLD}
    started = time.perf_counter()
    entities = synthetic_watchlist(size)
    queries = synthetic_queries(entities, queries_count)
    report["generate_s"] = round(time.perf_counter() - started, 1)
    gc.collect()
    before = _peak_rss_mb()
    started = time.perf_counter()
    index = index_class(entities)
    report["build_s"] = round(time.perf_counter() - started, 1)
    report["peak_rss_after_build_mb"] = round(_peak_rss_mb())
    report["peak_rss_before_build_mb"] = round(before)
    names = sum(len(n) for n in index.names)
    print(
        f"entries {size:,} ({names:,} names and aliases), generated in {report['generate_s']} s; "
        f"index build {report['build_s']} s",
        flush=True,
    )

    for query, _, _ in queries[:50]:  # warm the caches a server would have warm
        index.screen(query, THRESHOLD)
    latencies: list[float] = []
    cpu: list[float] = []  # this process's CPU time: what a busy machine does not inflate
    by_kind: dict[str, list[float]] = defaultdict(list)
    found: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    hits = 0
    clock, cpu_clock = time.perf_counter, time.process_time
    for query, target, kind in queries:
        started, cpu_started = clock(), cpu_clock()
        matches = index.screen(query, THRESHOLD)
        elapsed = clock() - started
        cpu.append(cpu_clock() - cpu_started)
        latencies.append(elapsed)
        by_kind["with birth date" if query.birth_date else "name only"].append(elapsed)
        hits += len(matches)
        if target is not None:
            asked[kind] += 1
            found[kind] += any(m.entity_id == target for m in matches)
    ms = [x * 1000 for x in latencies]
    report["latency_ms"] = {
        "p50": round(statistics.median(ms), 3),
        "p95": round(_percentile(ms, 0.95), 3),
        "p99": round(_percentile(ms, 0.99), 3),
        "max": round(max(ms), 3),
        "mean": round(statistics.fmean(ms), 3),
    }
    cpu_ms = [x * 1000 for x in cpu]
    report["cpu_ms"] = {
        "p50": round(statistics.median(cpu_ms), 3),
        "p95": round(_percentile(cpu_ms, 0.95), 3),
    }
    report["latency_by_class_ms"] = {
        kind: {
            "queries": len(values),
            "p50": round(statistics.median(values) * 1000, 3),
            "p95": round(_percentile(values, 0.95) * 1000, 3),
        }
        for kind, values in sorted(by_kind.items())
    }
    report["mean_matches"] = round(hits / len(queries), 2)
    report["true_match_found"] = {k: round(found[k] / asked[k], 4) for k in VARIANTS if asked[k]}
    lat = report["latency_ms"]
    print(
        f"{len(queries):,} queries at threshold {THRESHOLD}: p50 {lat['p50']:.2f} ms, "
        f"p95 {lat['p95']:.2f} ms, p99 {lat['p99']:.2f} ms, max {lat['max']:.1f} ms, "
        f"mean {lat['mean']:.2f} ms ({1000 / lat['mean']:,.0f} queries/s), "
        f"mean matches {report['mean_matches']}",
        flush=True,
    )
    print(
        f"  CPU time of the process per query: p50 {report['cpu_ms']['p50']:.2f} ms, "
        f"p95 {report['cpu_ms']['p95']:.2f} ms (wall time above includes waiting for a core)"
    )
    for kind, values in report["latency_by_class_ms"].items():
        print(
            f"  {kind}: {values['queries']:,} queries, "
            f"p50 {values['p50']:.2f} ms, p95 {values['p95']:.2f} ms"
        )
    print(
        "  listed person found at the threshold, by variant: "
        + ", ".join(f"{k} {v:.1%}" for k, v in report["true_match_found"].items())
    )

    started = time.perf_counter()
    baseline = ExhaustiveScan(index)
    report["baseline_build_s"] = round(time.perf_counter() - started, 1)
    picked = random.Random(5).sample(range(len(queries)), min(sample, len(queries)))
    wanted = {THRESHOLD: set(), LOW_THRESHOLD: set()}
    got = {THRESHOLD: set(), LOW_THRESHOLD: set()}
    scored = 0
    started = time.perf_counter()
    low = min(THRESHOLD, LOW_THRESHOLD)
    # Per variant kind in the sample: listed person found by the index, by the scan.
    sample_asked: Counter[str] = Counter()
    sample_index: Counter[str] = Counter()
    sample_scan: Counter[str] = Counter()
    for i in picked:
        query, target, kind = queries[i]
        matches, count = baseline.screen(query, low)
        scored += count
        for threshold in wanted:
            wanted[threshold].update((i, m.entity_id) for m in matches if m.score >= threshold)
            got[threshold].update((i, m.entity_id) for m in index.screen(query, threshold))
        if target is not None:
            sample_asked[kind] += 1
            sample_scan[kind] += (i, target) in wanted[THRESHOLD]
            sample_index[kind] += (i, target) in got[THRESHOLD]
    report["baseline_s"] = round(time.perf_counter() - started, 1)
    report["sample"] = len(picked)
    report["baseline_mean_scored"] = round(scored / len(picked))
    report["recall"] = {}
    for threshold in sorted(wanted, reverse=True):
        pairs = wanted[threshold]
        value = len(pairs & got[threshold]) / len(pairs) if pairs else 1.0
        extra = len(got[threshold] - pairs)
        report["recall"][str(threshold)] = {
            "recall": round(value, 4),
            "pairs": len(pairs),
            "extra": extra,
        }
        print(
            f"recall against the exhaustive scan at {threshold}: {value:.2%} of {len(pairs):,} "
            f"(query, entry) pairs, {extra} returned beyond it "
            f"(sample of {len(picked)} queries, fixed seed)"
        )
    report["sample_true_match_found"] = {
        kind: {
            "queries": sample_asked[kind],
            "index": round(sample_index[kind] / sample_asked[kind], 4),
            "exhaustive": round(sample_scan[kind] / sample_asked[kind], 4),
        }
        for kind in VARIANTS
        if sample_asked[kind]
    }
    print(
        f"  listed person found at {THRESHOLD} in the sample, by variant "
        "(index / exhaustive scan, of queries): "
        + ", ".join(
            f"{kind} {sample_index[kind]}/{sample_scan[kind]} of {sample_asked[kind]}"
            for kind in report["sample_true_match_found"]
        )
    )
    print(
        f"  exhaustive scan: {report['baseline_s']} s for the sample "
        f"({report['baseline_s'] / len(picked) * 1000:.0f} ms/query, "
        f"{report['baseline_mean_scored']:,} entries scored per query), "
        f"its own token map built in {report['baseline_build_s']} s"
    )
    report["peak_rss_mb"] = round(_peak_rss_mb())
    print(
        "peak memory (getrusage ru_maxrss: peak resident set of the whole process): "
        f"{report['peak_rss_after_build_mb']:,} MB after the index build "
        f"(the generated entries alone {report['peak_rss_before_build_mb']:,} MB), "
        f"{report['peak_rss_mb']:,} MB at the end (with the baseline's own token map)"
    )
    return report


def main(argv: Sequence[str] | None = None) -> None:
    import json

    args = list(sys.argv[1:] if argv is None and __name__ == "__main__" else argv or [])
    size = int(args[0]) if args else ENTRIES
    report = run(size)
    if size == 1_000_000 and QUERIES == 10_000:
        RESULTS.parent.mkdir(exist_ok=True)  # bench/results/ is not in the repository
        RESULTS.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
