"""Rupiah amounts: always whole integers, never floats."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from simi.core.codes import CommonCode
from simi.core.errors import ValidationFailed

MAX_RUPIAH = 10**15  # above any PNBP fee or fine; guards against typos and overflow


def format_rupiah(amount: int) -> str:
    """350000 -> 'Rp350.000' (Indonesian grouping with dots)."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("Rupiah amounts are integers")
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


def parse_rupiah(raw: str | int, *, field: str = "amount") -> int:
    """Accepts 350000, '350000', '350.000', 'Rp 350.000'; refuses decimals and negatives."""
    if isinstance(raw, bool):
        raise ValidationFailed.for_field(
            field, _("Enter an amount in whole rupiah."), code=CommonCode.RUPIAH_FORMAT
        )
    if isinstance(raw, int):
        amount = raw
    else:
        text = re.sub(r"^\s*(rp\.?)\s*", "", str(raw).strip(), flags=re.IGNORECASE)
        if not re.fullmatch(r"\d{1,3}(\.\d{3})+|\d+", text):
            raise ValidationFailed.for_field(
                field,
                _("Enter an amount in whole rupiah, e.g. 350.000."),
                code=CommonCode.RUPIAH_FORMAT,
            )
        amount = int(text.replace(".", ""))
    if amount < 0:
        raise ValidationFailed.for_field(
            field, _("The amount cannot be negative."), code=CommonCode.RUPIAH_NEGATIVE
        )
    if amount > MAX_RUPIAH:
        raise ValidationFailed.for_field(
            field, _("The amount is too large."), code=CommonCode.RUPIAH_TOO_LARGE
        )
    return amount
