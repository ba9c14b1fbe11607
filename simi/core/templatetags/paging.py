"""Pagination links that keep the list's filters."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], number: int) -> str:
    """``?<current filters>&page=N``: the same list, another page."""
    query = context["request"].GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()
