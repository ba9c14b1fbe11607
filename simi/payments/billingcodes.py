"""Billing codes: 15 digits the applicant types into a bank's payment menu.

Fourteen random digits from ``secrets`` (the first never 0, so a bank system
that stores the code as a number keeps all 15 digits) and one check digit
by the Damm algorithm. Damm's quasigroup catches every single-digit typo and
every swap of two neighbouring digits, so a mistyped code is refused before
any look-up. Codes are random, not sequential: one code says nothing about
another bill. Shown in groups of five: ``81234 56789 01234``.
"""

from __future__ import annotations

import secrets

from django.utils.translation import gettext_lazy as _

from simi.core.errors import ValidationFailed
from simi.payments.codes import Code

PAYLOAD_LENGTH = 14
CODE_LENGTH = PAYLOAD_LENGTH + 1

# The weakly totally anti-symmetric quasigroup of order 10 (Damm, 2004).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def _interim(digits: str) -> int:
    state = 0
    for ch in digits:
        state = _DAMM[state][ord(ch) - 48]
    return state


def check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` a Damm codeword."""
    return str(_interim(payload))


def is_valid(code: str) -> bool:
    """15 ASCII digits, no leading zero, and the check digit agrees."""
    return (
        len(code) == CODE_LENGTH
        and code.isascii()
        and code.isdigit()
        and code[0] != "0"
        and _interim(code) == 0
    )


def generate() -> str:
    payload = str(secrets.choice("123456789")) + "".join(
        secrets.choice("0123456789") for _ in range(PAYLOAD_LENGTH - 1)
    )
    return payload + check_digit(payload)


def display(code: str) -> str:
    """``812345678901234`` -> ``81234 56789 01234`` (easier to read aloud and type)."""
    return " ".join(code[i : i + 5] for i in range(0, len(code), 5))


def clean(raw: str) -> str:
    """Drop the spaces, dots and hyphens people and statements put in codes."""
    return "".join(ch for ch in (raw or "") if ch not in " .-\t")


def normalize(raw: str, *, field: str = "billing_code") -> str:
    """Returns the 15-digit code or raises ``ValidationFailed`` (before any look-up)."""
    code = clean(raw)
    if len(code) != CODE_LENGTH or not (code.isascii() and code.isdigit()):
        raise ValidationFailed.for_field(
            field,
            _("A billing code has 15 digits, e.g. 81234 56789 01234."),
            code=Code.BILLING_CODE_FORMAT,
        )
    if not is_valid(code):
        raise ValidationFailed.for_field(
            field,
            _("This billing code has a typing mistake; please check it."),
            code=Code.BILLING_CODE_CHECK,
        )
    return code
