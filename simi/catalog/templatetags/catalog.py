"""Template filters for the catalogue pages: texts in the active language and Rupiah."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import ngettext

from simi.catalog.languages import localized as localized_text
from simi.core.money import format_rupiah

register = template.Library()


@register.filter
def localized(obj: Any, field: str) -> str:
    """``{{ service|localized:"name" }}``: name_en in English, else name_id."""
    return localized_text(obj, field)


@register.filter
def rupiah(amount: int | None) -> str:
    return "" if amount is None else format_rupiah(int(amount))


@register.filter
def bill_validity(minutes: int | None) -> str:
    """120 -> '2 hours', 10080 -> '7 days': how long a billing code can be paid."""
    if not minutes:
        return ""
    if minutes % 1440 == 0:
        days = minutes // 1440
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
