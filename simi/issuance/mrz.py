# The transliteration tables hold Cyrillic letters that look like Latin ones on purpose.
# ruff: noqa: RUF001, RUF003
"""ICAO Doc 9303 machine-readable zones: check digits, TD3 passports and MRV-A visas.

Pure Python on purpose (no Django): the same module writes the MRZ at
issuance, checks it in tests against an independent implementation, and can
be copied by anyone who wants to check our lines.

Both formats are two lines of 44 characters from ``A-Z``, ``0-9`` and the
filler ``<``. Line 2 (positions are 1-based, as in Doc 9303 Part 4 and 7):

    TD3    1-9 number, 10 check; 11-13 nationality; 14-19 birth YYMMDD, 20 check;
           21 sex; 22-27 expiry, 28 check; 29-42 optional, 43 check; 44 composite
    MRV-A  the same up to 28; 29-44 optional data, with no check digit and no composite
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

LINE_LENGTH = 44
NAME_LENGTH = 39
FILLER = "<"
_WEIGHTS = (7, 3, 1)
_TD3_OPTIONAL = 14
_MRVA_OPTIONAL = 16

_STATE = re.compile(r"^[A-Z][A-Z<]{2}$")
_NUMBER = re.compile(r"^[A-Z0-9]{1,9}$")
_OPTIONAL = re.compile(r"^[A-Z0-9<]*$")
_LINE = re.compile(r"^[A-Z0-9<]{44}$")
_DATE = re.compile(r"^[0-9<]{6}$")

# Doc 9303 Part 3, section 6: national Latin characters whose recommended
# transliteration is not simply the base letter (where the table offers a
# choice, e.g. Ä -> AE or A, the first, recommended form). Every other
# accented Latin letter loses its diacritic through Unicode decomposition.
_LATIN = {
    "Ä": "AE",
    "Å": "AA",
    "Æ": "AE",
    "Ö": "OE",
    "Ø": "OE",
    "Œ": "OE",
    "Ü": "UE",
    "ẞ": "SS",
    "Þ": "TH",
    "Ð": "D",
    "Đ": "D",
    "Ħ": "H",
    "Ł": "L",
    "Ŀ": "L",
    "Ŋ": "N",
    "Ŧ": "T",
    "Ĳ": "IJ",
    "ı": "I",
}
# Doc 9303 Part 3, section 6, Cyrillic (the Russian set plus Є, І, Ї, Ґ).
# Other scripts (Arabic, Greek, CJK, ...) need a transcription chosen by a
# person; their letters are dropped here rather than guessed.
_CYRILLIC = {
    "А": "A",
    "Б": "B",
    "В": "V",
    "Г": "G",
    "Д": "D",
    "Е": "E",
    "Ё": "E",
    "Ж": "ZH",
    "З": "Z",
    "И": "I",
    "Й": "I",
    "К": "K",
    "Л": "L",
    "М": "M",
    "Н": "N",
    "О": "O",
    "П": "P",
    "Р": "R",
    "С": "S",
    "Т": "T",
    "У": "U",
    "Ф": "F",
    "Х": "KH",
    "Ц": "TS",
    "Ч": "CH",
    "Ш": "SH",
    "Щ": "SHCH",
    "Ъ": "IE",
    "Ы": "Y",
    "Ь": "",
    "Э": "E",
    "Ю": "IU",
    "Я": "IA",
    "Є": "IE",
    "І": "I",
    "Ї": "I",
    "Ґ": "G",
}
_TRANSLITERATION = {**_LATIN, **_CYRILLIC}
# Separators between name components become one filler; apostrophes, full
# stops and anything else that is not a letter are omitted (Doc 9303 Part 3, 4.6).
_SEPARATORS = frozenset(" \t\n-,\u2010\u2011\u2013")


class MrzError(ValueError):
    """Fields that cannot be written as an MRZ, or text that is not one."""


def char_value(ch: str) -> int:
    """0-9 count as themselves, A-Z as 10-35, the filler as 0."""
    if "0" <= ch <= "9":
        return ord(ch) - ord("0")
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    if ch == FILLER:
        return 0
    raise MrzError(f"{ch!r} is not an MRZ character.")


def check_digit(field: str) -> str:
    """Doc 9303 Part 3, 4.9: weights 7, 3, 1 repeating; the sum modulo 10."""
    total = sum(char_value(ch) * _WEIGHTS[i % 3] for i, ch in enumerate(field))
    return str(total % 10)


def transliterate(text: str) -> str:
    """Upper-case A-Z with single spaces between name components."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text).upper():
        if ch in _SEPARATORS:
            out.append(" ")
        elif ch in _TRANSLITERATION:
            out.append(_TRANSLITERATION[ch])
        else:
            base = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in base if "A" <= c <= "Z"))
    return " ".join("".join(out).split())


def name_components(text: str) -> list[str]:
    return transliterate(text).split()


def _truncate(components: list[str], room: int) -> str:
    """Components joined by fillers, cut to ``room`` characters.

    Doc 9303 ends a truncated name field on a letter so that a reader can tell
    the name may be longer. When the cut falls right after a whole component,
    that component gives up its last letter for the next one's initial.
    """
    joined = FILLER.join(components)
    if len(joined) <= room:
        return joined
    cut = joined[:room]
    if cut[-1] != FILLER:
        return cut
    before = cut[:-1]
    last_component = before.rsplit(FILLER, 1)[-1]
    if len(last_component) >= 2:
        return before[:-1] + FILLER + joined[room]
    # A one-letter component (an initial) cannot give up a letter: end on it.
    return before


def name_field(primary: str, secondary: str = "", *, width: int = NAME_LENGTH) -> str:
    """``PRIMARY<<SECONDARY`` padded to ``width``; too long, the secondary
    identifier is truncated first, and the primary only when it alone fills
    the field (then the secondary identifier is left out)."""
    prim = name_components(primary)
    sec = name_components(secondary)
    if not prim:
        raise MrzError("The primary identifier has no letter the MRZ can hold.")
    prim_text = FILLER.join(prim)
    full = prim_text + (FILLER * 2 + FILLER.join(sec) if sec else "")
    if len(full) <= width:
        return full.ljust(width, FILLER)
    if len(prim_text) + 3 <= width:  # the separator and at least one secondary letter
        text = prim_text + FILLER * 2 + _truncate(sec, width - len(prim_text) - 2)
    else:
        text = _truncate(prim, width)
    return text.ljust(width, FILLER)


@dataclass(frozen=True)
class MrzFields:
    """What an MRZ holds, in structured form (names as printed in the VIZ)."""

    document_code: str  # "P" or "PA"... for passports, "V" or "VC"... for visas
    issuing_state: str  # ICAO three-letter code, e.g. IDN ("D<<" for Germany)
    primary_identifier: str  # surname(s)
    secondary_identifier: str  # given name(s); may be empty
    document_number: str
    nationality: str
    birth_date: date
    sex: str  # M, F, or X (written as the filler)
    expiry_date: date
    optional_data: str = ""


def _yymmdd(value: date) -> str:
    return value.strftime("%y%m%d")


def _code(value: str, *, kind: str) -> str:
    code = (value or "").upper()
    if len(code) == 1:
        code += FILLER
    if len(code) != 2 or code[0] != kind or not re.match(r"^[A-Z<]$", code[1]):
        raise MrzError(f"The document code must be {kind} followed by a letter or a filler.")
    return code


def _state(value: str, what: str) -> str:
    code = (value or "").upper().ljust(3, FILLER)
    if not _STATE.match(code):
        raise MrzError(f"The {what} must be a three-letter ICAO code.")
    return code


def _sex(value: str) -> str:
    sex = (value or "").upper()
    if sex in {"M", "F"}:
        return sex
    if sex in {"X", FILLER, ""}:
        return FILLER
    raise MrzError("Sex must be M, F or X.")


def _optional(value: str, length: int) -> str:
    text = (value or "").upper().replace(" ", FILLER)
    if len(text) > length or not _OPTIONAL.match(text):
        raise MrzError(f"Optional data holds at most {length} characters from A-Z, 0-9.")
    return text.ljust(length, FILLER)


def _common_line2(fields: MrzFields) -> str:
    number = (fields.document_number or "").upper()
    if not _NUMBER.match(number):
        raise MrzError("The document number holds 1 to 9 characters from A-Z, 0-9.")
    number = number.ljust(9, FILLER)
    birth = _yymmdd(fields.birth_date)
    expiry = _yymmdd(fields.expiry_date)
    return (
        number
        + check_digit(number)
        + _state(fields.nationality, "nationality")
        + birth
        + check_digit(birth)
        + _sex(fields.sex)
        + expiry
        + check_digit(expiry)
    )


def _line1(fields: MrzFields, *, kind: str) -> str:
    return (
        _code(fields.document_code, kind=kind)
        + _state(fields.issuing_state, "issuing state")
        + name_field(fields.primary_identifier, fields.secondary_identifier)
    )


def td3_lines(fields: MrzFields) -> tuple[str, str]:
    """The two lines of a TD3 passport MRZ (Doc 9303 Part 4)."""
    head = _common_line2(fields)
    optional = _optional(fields.optional_data, _TD3_OPTIONAL)
    # An unused optional-data field takes a filler as its check digit (Part 4, 4.2.2).
    optional_check = FILLER if optional == FILLER * _TD3_OPTIONAL else check_digit(optional)
    body = head + optional + optional_check
    return _line1(fields, kind="P"), body + check_digit(_composite_of(body))


def mrva_lines(fields: MrzFields) -> tuple[str, str]:
    """The two lines of an MRV-A visa MRZ (Doc 9303 Part 7): no composite check."""
    line2 = _common_line2(fields) + _optional(fields.optional_data, _MRVA_OPTIONAL)
    return _line1(fields, kind="V"), line2


def _composite_of(line2: str) -> str:
    # Positions 1-10, 14-20 and 22-43 (1-based) of a TD3 line 2.
    return line2[0:10] + line2[13:20] + line2[21:43]


@dataclass(frozen=True)
class MrzReading:
    """A parsed MRZ and the check digits that failed (empty when valid)."""

    format: str  # "TD3" or "MRV-A"
    document_code: str
    issuing_state: str
    primary_identifier: str
    secondary_identifier: str
    document_number: str
    nationality: str
    birth_date: str  # YYMMDD as written: the century is not in the MRZ
    sex: str
    expiry_date: str
    optional_data: str
    failed_checks: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return not self.failed_checks


def _split_lines(mrz: str | tuple[str, str] | list[str]) -> tuple[str, str]:
    lines = mrz.split() if isinstance(mrz, str) else list(mrz)
    if len(lines) != 2:
        raise MrzError("An MRZ of these formats has exactly two lines.")
    first, second = (line.strip() for line in lines)
    for line in (first, second):
        if not _LINE.match(line):
            raise MrzError("Each line has 44 characters from A-Z, 0-9 and <.")
    return first, second


def parse(mrz: str | tuple[str, str] | list[str]) -> MrzReading:
    """Read a TD3 (``P...``) or MRV-A (``V...``) MRZ; raises ``MrzError`` when
    the text is not one at all, and lists failing check digits otherwise."""
    line1, line2 = _split_lines(mrz)
    kind = {"P": "TD3", "V": "MRV-A"}.get(line1[0])
    if kind is None:
        raise MrzError("Only passports (P) and visas of type A (V) are read here.")
    birth, sex, expiry = line2[13:19], line2[20], line2[21:27]
    if not _DATE.match(birth) or not _DATE.match(expiry) or sex not in "MFX<":
        raise MrzError("The dates or the sex in line 2 are not in MRZ form.")
    failed: list[str] = []
    for name, value, digit in (
        ("document_number", line2[0:9], line2[9]),
        ("birth_date", birth, line2[19]),
        ("expiry_date", expiry, line2[27]),
    ):
        if check_digit(value) != digit:
            failed.append(name)
    if kind == "TD3":
        optional = line2[28:42]
        empty = optional == FILLER * _TD3_OPTIONAL
        if not (empty and line2[42] in {FILLER, "0"}) and check_digit(optional) != line2[42]:
            failed.append("optional_data")
        if check_digit(_composite_of(line2)) != line2[43]:
            failed.append("composite")
    else:
        optional = line2[28:44]
    primary, _sep, secondary = line1[5:].partition(FILLER * 2)
    return MrzReading(
        format=kind,
        document_code=line1[0:2],
        issuing_state=line1[2:5],
        primary_identifier=primary.replace(FILLER, " ").strip(),
        secondary_identifier=secondary.replace(FILLER, " ").strip(),
        document_number=line2[0:9].rstrip(FILLER),
        nationality=line2[10:13],
        birth_date=birth,
        sex=sex,
        expiry_date=expiry,
        optional_data=optional.rstrip(FILLER),
        failed_checks=tuple(failed),
    )
