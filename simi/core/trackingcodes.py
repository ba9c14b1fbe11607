"""Unguessable tracking codes with a check character.

Twelve random symbols from Crockford's base-32 alphabet (60 bits from
``secrets``) and a Luhn mod-32 check symbol, shown as ``XXXX-XXXX-XXXX-C``.
The check symbol catches every single-character typo and every swap of two
neighbouring characters before a database look-up is made.
"""

from __future__ import annotations

import secrets

from django.utils.translation import gettext_lazy as _

from simi.core.errors import ValidationFailed

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
# Characters people confuse are read as the symbol they look like.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
PAYLOAD_LENGTH = 12


def _luhn_sum(symbols: str, *, double_first: bool) -> int:
    total, double = 0, double_first
    n = len(ALPHABET)
    for ch in reversed(symbols):
        addend = _INDEX[ch] * (2 if double else 1)
        total += addend // n + addend % n
        double = not double
    return total


def check_symbol(payload: str) -> str:
    remainder = _luhn_sum(payload, double_first=True) % len(ALPHABET)
    return ALPHABET[(len(ALPHABET) - remainder) % len(ALPHABET)]


def generate() -> str:
    payload = "".join(secrets.choice(ALPHABET) for _ in range(PAYLOAD_LENGTH))
    return payload + check_symbol(payload)


def display(code: str) -> str:
    return "-".join([code[0:4], code[4:8], code[8:12], code[12:]])


def normalize(raw: str, *, field: str = "tracking_code") -> str:
    """Returns the 13-symbol code or raises ``ValidationFailed``."""
    text = "".join((raw or "").split()).replace("-", "").upper().translate(_CONFUSABLE)
    if len(text) != PAYLOAD_LENGTH + 1 or any(ch not in _INDEX for ch in text):
        raise ValidationFailed.for_field(
            field,
            _("A tracking code has 13 letters and digits, e.g. 7K3M-Q9TX-2HNA-4."),
            code="tracking_code_format",
        )
    if _luhn_sum(text, double_first=False) % len(ALPHABET) != 0:
        raise ValidationFailed.for_field(
            field,
            _("This tracking code has a typing mistake; please check it."),
            code="tracking_code_check",
        )
    return text
