"""Template filters of the payments pages."""

from __future__ import annotations

from django import template

from simi.core.money import format_rupiah
from simi.payments import billingcodes

register = template.Library()


@register.filter
def billing_code(code: str | None) -> str:
    """``812345678901234`` -> ``81234 56789 01234``."""
    return billingcodes.display(code) if code else ""


@register.filter
def rupiah(amount: int | None) -> str:
    """``350000`` -> ``Rp350.000``."""
    return "" if amount is None else format_rupiah(int(amount))


@register.filter
def billing_code_groups(code: str | None) -> list[str]:
    """``812345678901234`` -> ``["81234", "56789", "01234"]``."""
    return billingcodes.display(code).split(" ") if code else []
