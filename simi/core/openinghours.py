"""An office's opening hours as data: a list of periods
``{"days": [1, 2, 3, 4, 5], "opens": "08:00", "closes": "16:00"}`` (ISO
weekdays, 1 = Monday). ``offices.csv`` writes them compactly
(``1-5 08:00-16:00; 6 08:00-12:00``); ``parse_hours`` reads that form."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS  # translated names, 0 = Monday
from django.utils.translation import gettext_lazy as _

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_PERIOD = re.compile(r"^(\d)(?:-(\d))?\s+(\d\d:\d\d)-(\d\d:\d\d)$")


def parse_hours(text: str) -> list[dict[str, Any]]:
    """``"1-5 08:00-16:00; 6 08:00-12:00"`` as the list the model stores."""
    periods: list[dict[str, Any]] = []
    for part in filter(None, (piece.strip() for piece in text.split(";"))):
        match = _PERIOD.match(part)
        if not match:
            raise ValueError(f"opening hours {part!r}: expected e.g. '1-5 08:00-16:00'")
        first, last, opens, closes = match.groups()
        days = list(range(int(first), int(last or first) + 1))
        periods.append({"days": days, "opens": opens, "closes": closes})
    validate_opening_hours(periods)
    return periods


def validate_opening_hours(value: Any) -> None:
    """Refuse anything but a list of periods with days 1-7 and opens < closes."""
    message = _(
        'Opening hours must be a list like [{"days": [1, 2, 3, 4, 5], "opens": "08:00", '
        '"closes": "16:00"}], days 1 (Monday) to 7 (Sunday), opening before closing.'
    )
    if not isinstance(value, list):
        raise ValidationError(message, code="invalid")
    for period in value:
        if not isinstance(period, dict) or set(period) != {"days", "opens", "closes"}:
            raise ValidationError(message, code="invalid")
        days, opens, closes = period["days"], period["opens"], period["closes"]
        if (
            not isinstance(days, list)
            or not days
            or not all(isinstance(d, int) and 1 <= d <= 7 for d in days)
            or not all(isinstance(t, str) and _TIME.match(t) for t in (opens, closes))
            or opens >= closes
        ):
            raise ValidationError(message, code="invalid")


def describe_hours(periods: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """``[("Monday-Friday", "08:00-16:00"), ...]`` (en dashes) in the active language."""
    rows = []
    for period in periods:
        days = sorted(period["days"])
        names = [str(WEEKDAYS[day - 1]) for day in days]
        run = days == list(range(days[0], days[-1] + 1)) and len(days) > 2
        label = f"{names[0]}\u2013{names[-1]}" if run else ", ".join(names)
        rows.append((label, f"{period['opens']}\u2013{period['closes']}"))
    return rows
