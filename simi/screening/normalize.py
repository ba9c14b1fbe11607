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
from dataclasses import dataclass

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
# Patronymic particles: kept as a boundary between own name and father's name.
PARTICLES = frozenset({"bin", "binti", "bte", "bt", "bn", "ibn", "ibnu"})

_SEPARATORS = re.compile(r"[\s,;/()\[\]]+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DOUBLED = re.compile(r"(.)\1+")


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

    @property
    def has_patronymic(self) -> bool:
        return len(self.own) < len(self.tokens)


def _raw_tokens(text: str) -> list[tuple[str, bool]]:
    """(letters, had_dot) per whitespace/comma separated piece of the name."""
    pieces: list[tuple[str, bool]] = []
    for piece in _SEPARATORS.split(text):
        # "M.Yusuf" / "S.H." -> split on inner dots but remember abbreviations.
        parts = piece.split(".")
        dotted = len(parts) > 1
        for part in parts:
            if part.isascii() and part.isalnum():  # the common case: one plain word
                pieces.append((part.lower(), dotted))
                continue
            for word in fold(part).split():
                pieces.append((word, dotted))
    return pieces


def _drop_degrees(words: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Remove titles, including dotted ones written in pieces ("S.", "H.")."""
    kept: list[tuple[str, bool]] = []
    i = 0
    while i < len(words):
        word, dotted = words[i]
        if word in _TITLES and (dotted or len(word) > 2 or word in {"hj", "ir", "dr", "ny"}):
            i += 1
            continue
        # Dotted letters written apart: "S. H." / "S.Kom." / "M.Si." / "S.Pd."
        # Only after a name token, where degrees stand; before it they are initials.
        if dotted and i + 1 < len(words) and words[i + 1][1] and any(len(w) > 1 for w, _ in kept):
            pair = word + words[i + 1][0]
            if pair in _TITLES and len(word) == 1:
                i += 2
                continue
        kept.append((word, dotted))
        i += 1
    return kept


def normalize_name(text: str) -> NormalizedName:
    """Normalize a personal name; never raises, returns empty tokens for junk."""
    words = _drop_degrees(_raw_tokens(text))
    if len(words) > 1 and words[0][0] in _LEADING_TITLE_LETTERS and words[0][1]:
        words = words[1:]  # "H. Ahmad", "R. Soeprapto": Haji, Raden
    tokens: list[str] = []
    own_len: int | None = None
    for word, _dotted in words:
        if word in PARTICLES:
            if tokens and own_len is None:
                own_len = len(tokens)
            continue
        tokens.append(word)
    own = tuple(tokens[:own_len]) if own_len is not None else tuple(tokens)
    return NormalizedName(tokens=tuple(tokens), own=own, keys=tuple(token_key(t) for t in tokens))


def canonical_key(text: str) -> str:
    """One string per name, identical for spelling variants (token order kept)."""
    return " ".join(normalize_name(text).keys)


def normalize_document_number(text: str) -> str:
    """Document numbers compared on letters and digits only, upper case."""
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", text).upper())
