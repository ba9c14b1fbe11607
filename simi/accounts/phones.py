"""Indonesian mobile numbers as people type them, and their keyed look-up.

SIMI takes an account's mobile number in the three ways Indonesians write it
(``0812 3456 7890``, ``+62 812-3456-7890``, ``6281234567890``, also
``+62 (0)812 ...``; spaces, dots, hyphens and brackets are ignored) and keeps
it in E.164 (``+6281234567890``).
Anything else (a landline, a foreign number, letters) is refused with one
clear message: SMS reach Indonesian mobile numbers only.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from simi.accounts.codes import Code
from simi.core.crypto import blind_index
from simi.core.errors import ValidationFailed

# After the country code: "8", then 8 to 11 more digits (0811-xxxx-xxx ... 0899-xxxx-xxxxx).
_MOBILE = re.compile(r"8\d{8,11}")
_SEPARATORS = re.compile(r"[\s.\-()]")
INDEX_PURPOSE = "accounts:phone"


def parse_mobile(raw: str) -> str | None:
    """The number in E.164, or ``None`` when it is not an Indonesian mobile number."""
    text = _SEPARATORS.sub("", raw or "")
    if text.startswith("+62"):
        national = text[3:]
    elif text.startswith("62"):
        national = text[2:]
    elif text.startswith("0"):
        national = text[1:]
    else:
        return None
    if national.startswith("08") and text.startswith(("+62", "62")):
        national = national[1:]  # "+62 (0)812 ...": the trunk 0 written after the country code
    if not _MOBILE.fullmatch(national):
        return None
    return f"+62{national}"


def clean_mobile(raw: str, *, field: str = "number") -> str:
    """The number in E.164, or ``ValidationFailed`` on ``field`` saying what we take."""
    if not (raw or "").strip():
        raise ValidationFailed.for_field(
            field, _("Enter your mobile number."), code=Code.PHONE_REQUIRED
        )
    number = parse_mobile(raw)
    if number is None:
        raise ValidationFailed.for_field(
            field,
            _(
                "Enter an Indonesian mobile number, for example 0812 3456 7890 "
                "or +62 812 3456 7890."
            ),
            code=Code.PHONE_FORMAT,
        )
    return number


def mobile_index(number: str) -> str:
    """The keyed blind index of an E.164 number (what look-ups compare)."""
    return blind_index(INDEX_PURPOSE, number)


def display_mobile(number: str) -> str:
    """'+6281234567890' -> '+62 812 3456 7890'."""
    national = number[3:] if number.startswith("+62") else number
    return f"+62 {national[:3]} {national[3:7]} {national[7:]}".strip()


def masked_mobile(number: str) -> str:
    """'+6281234567890' -> '+62 812 **** *890': where a code went, without the number."""
    national = number[3:] if number.startswith("+62") else number
    hidden = "*" * (len(national) - 6)
    return f"+62 {national[:3]} {hidden} {national[-3:]}"
