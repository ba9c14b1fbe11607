"""Two spellings of one name that edit distance misjudges, on phonetic keys.

* A **transposition**: two adjacent letters swapped ("ail"/"ali",
  "bdui"/"budi"). Levenshtein counts two edits, so a short word could not be
  a typo at all; here it is one, whatever the length (from three letters).
* A **vowel variant** of a transliterated name: the same consonants, in the
  same order, with vowels that records write differently: a/e, e/i, o/u,
  ou/u/o (Fatimeh/Fatimah, Khaled/Khalid, Omar/Umar, Mahmoud/Mahmud), a final
  y for i (Aly/Ali, Rudy/Rudi), y for i after a vowel (Faysal/Faisal), a final
  h after a vowel (Hamzah/Hamza) and one short vowel dropped inside the name
  (Fatma/Fatima). At most two vowel places may differ (one in a key of up to
  four letters), and neither the first nor the last vowel may be dropped:
  Amir/Umar (a/u), Rina/Rini (a/i) and Karim/Karima stay different names.

Both are decided on keys (``normalize.token_key``), so the spelling
conventions (oe/u, dj/j, doubled letters) are already folded in.
``vowel_skeleton`` is what every vowel variant of a key shares: the index
groups keys by it.
"""

from __future__ import annotations

VOWELS = frozenset("aeiou")
# Single vowels records write for one another in transliterated names.
_CLOSE = frozenset({("a", "e"), ("e", "a"), ("e", "i"), ("i", "e"), ("o", "u"), ("u", "o")})
_DIGRAPHS = frozenset({("ou", "u"), ("u", "ou"), ("ou", "o"), ("o", "ou")})
# Vowel variants keep every letter but vowels, y and h: a cheap first test.
_CONSONANTS_ONLY = str.maketrans("", "", "aeiouyh")
_SHAPES: dict[str, tuple[str, tuple[str, ...]]] = {}
_SHAPES_SIZE = 1 << 18


def is_transposition(a: str, b: str) -> bool:
    """``b`` is ``a`` with one pair of adjacent letters swapped (three letters or more)."""
    if len(a) != len(b) or len(a) < 3 or a == b:
        return False
    i = 0
    while a[i] == b[i]:
        i += 1
    return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]


def transpositions(key: str) -> set[str]:
    """Every key one adjacent swap away from ``key``."""
    if len(key) < 3:
        return set()
    return {
        key[:i] + key[i + 1] + key[i] + key[i + 2 :]
        for i in range(len(key) - 1)
        if key[i] != key[i + 1]
    }


def _vowel_view(key: str) -> str:
    """The key with a y that can only be a vowel written i and a final h
    after a vowel dropped."""
    if "y" in key[1:]:
        chars = list(key)
        last = len(chars) - 1
        for i in range(1, last + 1):
            if chars[i] != "y":
                continue
            if i == last or (chars[i - 1] in VOWELS and chars[i + 1] not in VOWELS):
                chars[i] = "i"  # "aly", "rudy", "faysal"; not "yusuf", "maya", "syah"
        key = "".join(chars)
    if len(key) > 2 and key[-1] == "h" and key[-2] in VOWELS:
        key = key[:-1]
    return key


def _shape(key: str) -> tuple[str, tuple[str, ...]]:
    """(skeleton, vowel groups): the consonants (marked with _ where the key
    starts or ends with a vowel) and the vowels before, between and after them."""
    shape = _SHAPES.get(key)
    if shape is None:
        consonants: list[str] = []
        gaps: list[str] = []
        start = 0
        view = _vowel_view(key)
        for i, ch in enumerate(view):
            if ch not in VOWELS:
                gaps.append(view[start:i])
                consonants.append(ch)
                start = i + 1
        gaps.append(view[start:])
        skeleton = "".join(consonants)
        if gaps[0]:
            skeleton = "_" + skeleton
        if gaps[-1]:
            skeleton += "_"
        shape = (skeleton, tuple(gaps))
        if len(_SHAPES) >= _SHAPES_SIZE:
            _SHAPES.clear()
        _SHAPES[key] = shape
    return shape


def vowel_skeleton(key: str) -> str | None:
    """What every vowel variant of ``key`` shares; None when it has none
    (fewer than three letters, or no consonant)."""
    if len(key) < 3:
        return None
    skeleton = _shape(key)[0]
    return skeleton if skeleton.strip("_") else None


def vowel_variant(a: str, b: str) -> bool:
    """``a`` and ``b`` are one transliterated name written with other vowels."""
    if a == b or len(a) < 3 or len(b) < 3:
        return False
    if a.translate(_CONSONANTS_ONLY) != b.translate(_CONSONANTS_ONLY):
        return False
    skeleton, gaps = _shape(a)
    other_skeleton, other_gaps = _shape(b)
    if skeleton != other_skeleton or not skeleton.strip("_"):
        return False
    changed = dropped = 0
    for x, y in zip(gaps, other_gaps, strict=True):
        if x == y:
            continue
        if not x or not y:
            # Only inside the name: the skeleton's marks keep both ends alike.
            if len(x or y) != 1:
                return False
            dropped += 1
        elif len(x) == len(y):
            if any(p != q and (p, q) not in _CLOSE for p, q in zip(x, y, strict=True)):
                return False
            changed += 1
        elif (x, y) in _DIGRAPHS:
            changed += 1
        else:
            return False
    places = changed + dropped
    return dropped <= 1 and places <= (1 if max(len(a), len(b)) <= 4 else 2)
