"""Date filters for templates."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def days_ago(value: date | datetime | None) -> int:
    """Whole calendar days (in the office's time zone) from ``value`` to today."""
    if value is None:
        return 0
    day = timezone.localdate(value) if isinstance(value, datetime) else value
    return max(0, (timezone.localdate() - day).days)
