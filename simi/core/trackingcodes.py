"""Unguessable tracking codes with check characters.

Twelve random symbols from Crockford's base-32 alphabet (60 bits from
``secrets``) and two check symbols, shown as ``XXXX-XXXX-XXXX-CC``.

The check makes the whole code a weighted sum that is 0 modulo the prime
1021 (weights 1..12 for the payload, 13 for the two-symbol check value).
Because 1021 is prime and larger than any symbol difference, every
single-character typo and every swap of two neighbouring characters changes
the sum, so it is caught before any database look-up.
"""

from __future__ import annotations

import secrets

from django.utils.translation import gettext_lazy as _

from simi.core.codes import CommonCode
from simi.core.errors import ValidationFailed

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
# Characters people confuse are read as the symbol they look like.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
PAYLOAD_LENGTH = 12
CODE_LENGTH = PAYLOAD_LENGTH + 2
_MODULUS = 1021
_CHECK_WEIGHT = PAYLOAD_LENGTH + 1


def _payload_sum(payload: str) -> int:
    return sum((position + 1) * _INDEX[ch] for position, ch in enumerate(payload)) % _MODULUS


def check_symbols(payload: str) -> str:
    # Solve weight * value == -sum (mod p) for the check value, then write it in base 32.
    value = (-_payload_sum(payload) * pow(_CHECK_WEIGHT, -1, _MODULUS)) % _MODULUS
    return ALPHABET[value // 32] + ALPHABET[value % 32]


def _is_codeword(code: str) -> bool:
    check_value = _INDEX[code[-2]] * 32 + _INDEX[code[-1]]
    return (_payload_sum(code[:PAYLOAD_LENGTH]) + _CHECK_WEIGHT * check_value) % _MODULUS == 0


def generate() -> str:
    payload = "".join(secrets.choice(ALPHABET) for _ in range(PAYLOAD_LENGTH))
    return payload + check_symbols(payload)


def display(code: str) -> str:
    return "-".join([code[0:4], code[4:8], code[8:12], code[12:]])


def normalize(raw: str, *, field: str = "tracking_code") -> str:
    """Returns the 14-symbol code or raises ``ValidationFailed``."""
    text = "".join((raw or "").split()).replace("-", "").upper().translate(_CONFUSABLE)
    if len(text) != CODE_LENGTH or any(ch not in _INDEX for ch in text):
        raise ValidationFailed.for_field(
            field,
            _("A tracking code has 14 letters and digits, e.g. 7K3M-Q9TX-2HNA-4P."),
            code=CommonCode.TRACKING_CODE_FORMAT,
        )
    if not _is_codeword(text):
        raise ValidationFailed.for_field(
            field,
            _("This tracking code has a typing mistake; please check it."),
            code=CommonCode.TRACKING_CODE_CHECK,
        )
    return text
