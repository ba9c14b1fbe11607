"""Name normalization for screening: fold, drop titles, split patronymics, key.

Two layers on purpose:

* ``fold`` gives the display-safe form (lower case, no diacritics, no
  punctuation) that an operator can still read in an explanation;
* ``token_key`` gives a *phonetic key* that maps pre-1972 and EYD spellings and
  transliteration variants of one name to the same string. It is never shown as
  the person's name: "yoko" is the key of both Djoko and Joko.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from simi.screening.variants import NAME_VARIANTS

# Letters NFKD does not decompose into base letter + mark.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "\u0131": "i",
        "ħ": "h",
        "ŧ": "t",
        "ĸ": "k",
        "ŋ": "ng",
        "\u02bc": "",
        "\u2019": "",
        "'": "",
        "`": "",
    }
)

# Honorifics, religious and academic titles compared on their letters only, so
# "S.H.", "SH" and "S.H" are all one title. Single letters (H., R.) are handled
# apart because they are also initials.
_TITLES = frozenset(
    {
        "hj",
        "haji",
        "hajjah",
        "hajah",
        "drs",
        "dra",
        "ir",
        "dr",
        "prof",
        "tn",
        "ny",
        "nn",
        "bpk",
        "bapak",
        "ibu",
        "sdr",
        "sdri",
        "raden",
        "rd",
        "kh",
        "ust",
        "ustadz",
        "sh",
        "se",
        "skom",
        "spd",
        "ssos",
        "sag",
        "sip",
        "st",
        "ssi",
        "sked",
        "msi",
        "mm",
        "mh",
        "mpd",
        "mkom",
        "mt",
        "mba",
        "mag",
        "lc",
        "ma",
        "phd",
        "sp",
        "mr",
        "mrs",
        "ms",
        "dipl",
        "ing",
        "amd",
        "bsc",
        "msc",
        "llm",
        "hc",
        "tuan",
        "nyonya",
        "nona",
    }
)
# A leading single letter that Indonesian records use for a title, not an initial.
_LEADING_TITLE_LETTERS = frozenset({"h", "r"})
# Two-letter titles that are titles even written without a dot.
_ALWAYS_TITLES = frozenset({"hj", "ir", "dr", "ny"})
# Patronymic particles: kept as a boundary between own name and father's name.
PARTICLES = frozenset({"bin", "binti", "bte", "bt", "bn", "ibn", "ibnu"})

_PIECE = re.compile(r"[^\s,;/()\[\]]+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DOUBLED = re.compile(r"(.)\1+")
_VOWEL_LETTERS = frozenset("aeiou")


_ASCII_DROP = str.maketrans("", "", "'`")


def fold(text: str) -> str:
    """Lower case, ASCII letters only: diacritics stripped, punctuation to spaces."""
    if text.isascii():  # fast path: NFKC/NFKD and the special letters do nothing here
        return " ".join(_NON_ALNUM.sub(" ", text.lower().translate(_ASCII_DROP)).split())
    text = unicodedata.normalize("NFKC", text).translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_ALNUM.sub(" ", stripped).split())


def _phonetic(token: str) -> str:
    # Order matters: the old digraphs go first so that the later j->y does not
    # break them (Djoko -> joko -> yoko == Joko -> yoko).
    key = token.replace("oe", "u").replace("tj", "c").replace("dj", "j").replace("ch", "kh")
    key = key.replace("j", "y")  # old j == new y; also turns nj/sj into ny/sy
    return _DOUBLED.sub(r"\1", key)  # doubled letters carry no meaning here


_VARIANT_KEYS: dict[str, str] = {
    _phonetic(spelling): _phonetic(canonical)
    for canonical, spellings in NAME_VARIANTS.items()
    for spelling in spellings
}


_KEY_CACHE: dict[str, str] = {}
_KEY_CACHE_SIZE = 1 << 19  # distinct tokens remembered; cleared when full


def token_key(token: str) -> str:
    """Phonetic key of one folded token; variants of one name share a key."""
    key = _KEY_CACHE.get(token)
    if key is None:
        key = _phonetic(token)
        key = _VARIANT_KEYS.get(key, key)
        if len(_KEY_CACHE) >= _KEY_CACHE_SIZE:
            _KEY_CACHE.clear()
        _KEY_CACHE[token] = key
    return key


@dataclass(frozen=True, slots=True)
class NormalizedName:
    """A name as folded tokens, split into own name and patronymic parts."""

    tokens: tuple[str, ...]  # folded tokens, titles and particles removed
    own: tuple[str, ...]  # tokens before the first patronymic particle
    keys: tuple[str, ...]  # token_key of each token, same order as tokens
    titles: tuple[str, ...] = ()  # titles and degrees removed, as written ("S.E.")
    # Which of an entry's names this reads (an entry's name may have two
    # readings); -1: its own position. Not part of equality: it never changes
    # a comparison, only which alias an explanation names.
    origin: int = field(default=-1, compare=False)

    @property
    def has_patronymic(self) -> bool:
        return len(self.own) < len(self.tokens)


# One written piece of a name (between spaces and commas): as written, its
# folded words, whether it had a dot, whether a comma stood before it.
_Piece = tuple[str, tuple[str, ...], bool, bool]


def _pieces(text: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    last = 0
    for found in _PIECE.finditer(text):
        raw = found.group()
        comma = "," in text[last : found.start()]
        last = found.end()
        # "M.Yusuf" / "S.H." -> split on inner dots but remember abbreviations.
        parts = raw.split(".")
        words: list[str] = []
        for part in parts:
            if part.isascii() and part.isalnum():  # the common case: one plain word
                words.append(part.lower())
            else:
                words.extend(fold(part).split())
        if words:
            pieces.append((raw, tuple(words), len(parts) > 1, comma))
    return pieces


def _has_vowel(word: str) -> bool:
    return not _VOWEL_LETTERS.isdisjoint(word)


_TITLE, _DOUBTFUL = 1, 2


def _word_title(word: str, piece: _Piece, named: bool, mixed_case: bool) -> int:
    """Whether one word of a piece is a title (_TITLE), may be one (_DOUBTFUL), or not (0)."""
    raw, _, dotted, comma = piece
    if word not in _TITLES:
        return 0
    if dotted or len(word) > 2 or word in _ALWAYS_TITLES or not _has_vowel(word):
        return _TITLE
    if named and comma:  # "Budi Santoso, SE"
        return _TITLE
    if mixed_case and raw.isupper():  # "Budi Santoso SE", "SE Budi Santoso"
        return _DOUBTFUL
    return 0  # "Jack Ma", "LIM SE"


def _split_degree(pieces: list[_Piece], i: int) -> bool:
    """Pieces i and i + 1 are one degree written in dotted parts ("S. H.", "S. Kom.")."""
    words, following = pieces[i][1], pieces[i + 1] if i + 1 < len(pieces) else None
    return (
        following is not None
        and pieces[i][2]
        and following[2]
        and len(words) == 1
        and len(words[0]) == 1
        and len(following[1]) == 1
        and words[0] + following[1][0] in _TITLES
    )


def _readings(text: str) -> tuple[list[str], list[str], list[str] | None, list[str]]:
    """(words, titles) of the name with its titles and degrees removed, and of
    the second reading when some letters before the name can be a degree or
    initials ("S.E. Budi": Sarjana Ekonomi, or Slamet Eko Budi) or a capital
    pair a degree or a name ("Budi SE"); None when there is no second reading.

    Titles are removed wherever they stand, compared on their letters only:
    a dotted group written as one piece ("S.E.", "M.Si", "S.Kom.") whose
    letters are a title; a word that is a title when dotted, longer than two
    letters, one of Hj/Ir/Dr/Ny, or without a vowel ("SH", "MM"); a two-letter
    title with a vowel ("SE", "MA") after a comma behind a name, or (doubtful)
    in capitals in a name that is not all capitals, else never ("Jack Ma");
    split dotted letters ("S. H.") only after a name, since before it they are
    initials. A leading dotted H. or R. is Haji or Raden.
    """
    pieces = _pieces(text)
    mixed_case = not text.isupper() and not text.islower()
    words: list[str] = []
    titles: list[str] = []
    other: list[str] = []  # the second reading: doubtful titles kept
    other_titles: list[str] = []
    doubtful = False
    lead: tuple[int, int, bool] | None = None  # titles before the first word; was it dotted
    named = False  # a name (a word of more than one letter) kept so far
    i = 0
    while i < len(pieces):
        raw, piece_words, dotted, _ = pieces[i]
        if dotted and len(piece_words) > 1 and "".join(piece_words) in _TITLES:
            titles.append(raw)
            if not named and all(len(w) == 1 for w in piece_words):
                doubtful = True  # "S.E. Budi": a degree, or the initials of two names
                other.extend(piece_words)
            else:
                other_titles.append(raw)
            i += 1
            continue
        if named and _split_degree(pieces, i):  # "Ratna S. H."
            pair = f"{raw} {pieces[i + 1][0]}"
            titles.append(pair)
            other_titles.append(pair)
            i += 2
            continue
        for word in piece_words:
            kind = _word_title(word, pieces[i], named, mixed_case)
            if kind:
                titles.append(raw)
                if kind == _TITLE:
                    other_titles.append(raw)
                else:
                    doubtful = True
                    other.append(word)
                continue
            if lead is None:
                lead = (len(titles), len(other_titles), dotted)
            words.append(word)
            other.append(word)
            named = named or len(word) > 1
        i += 1
    if lead is not None and len(words) > 1 and words[0] in _LEADING_TITLE_LETTERS and lead[2]:
        # "H. Ahmad", "R. Soeprapto": Haji, Raden (where it was written)
        titles.insert(lead[0], words[0].upper() + ".")
        if other[0] == words[0]:  # the second reading starts with it too
            other_titles.insert(lead[1], words[0].upper() + ".")
            del other[0]
        del words[0]
    return words, list(dict.fromkeys(titles)), (other if doubtful else None), other_titles


def _name(words: list[str], titles: list[str], origin: int) -> NormalizedName:
    tokens: list[str] = []
    own_len: int | None = None
    for word in words:
        if word in PARTICLES:
            if tokens and own_len is None:
                own_len = len(tokens)
            continue
        tokens.append(word)
    own = tuple(tokens[:own_len]) if own_len is not None else tuple(tokens)
    return NormalizedName(
        tokens=tuple(tokens),
        own=own,
        keys=tuple(token_key(t) for t in tokens),
        titles=tuple(dict.fromkeys(titles)),
        origin=origin,
    )


def name_forms(text: str, origin: int = -1) -> tuple[NormalizedName, ...]:
    """Every reading of a name, the most likely first: one, or two when dotted
    letters before the name may be a degree or initials. Never empty; the
    only reading of junk has no tokens."""
    words, titles, other, other_titles = _readings(text)
    first = _name(words, titles, origin)
    if other is None:
        return (first,)
    second = _name(other, other_titles, origin)
    if not first.tokens:
        return (second,)
    return (first, second) if second.tokens != first.tokens else (first,)


def normalize_name(text: str) -> NormalizedName:
    """Normalize a personal name (its most likely reading); never raises,
    returns empty tokens for junk."""
    return name_forms(text)[0]


def canonical_key(text: str) -> str:
    """One string per name, identical for spelling variants (token order kept)."""
    return " ".join(normalize_name(text).keys)


def normalize_document_number(text: str) -> str:
    """Document numbers compared on letters and digits only, upper case."""
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", text).upper())
