"""Validity periods of fees and SLAs: which row is in force on a day, and how a
new open-ended period fits after the existing ones.

``valid_to`` is the last day in force (inclusive); empty means open-ended.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Protocol, TypeVar

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from simi.catalog.codes import Code
from simi.core.errors import ValidationFailed


class Period(Protocol):
    @property
    def valid_from(self) -> date: ...

    @property
    def valid_to(self) -> date | None: ...


P = TypeVar("P", bound=Period)


def in_force_on(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def covers(period: Period, day: date) -> bool:
    return period.valid_from <= day and (period.valid_to is None or period.valid_to >= day)


def plan_new_period(
    existing: Iterable[P], *, valid_from: date, today: date, reason: str
) -> P | None:
    """Check that an open-ended period from ``valid_from`` fits; return the open
    period it closes (ends the day before), if any.

    Refuses a start in the past when periods exist (what was charged or
    promised then would silently change) unless a reason is stated, and any
    overlap other than the open period it closes.
    """
    periods = list(existing)
    if periods and valid_from < today and not reason.strip():
        raise ValidationFailed.for_field(
            "reason",
            _("The date is in the past. State why the change applies retroactively."),
            code=Code.RETROACTIVE_REASON_REQUIRED,
        )
    to_close = next((p for p in periods if p.valid_to is None and p.valid_from < valid_from), None)
    for period in periods:
        if period is to_close:
            continue
        if period.valid_to is None or period.valid_to >= valid_from:
            raise ValidationFailed.for_field(
                "valid_from",
                _(
                    "This overlaps the period from %(start)s to %(end)s. "
                    "Choose a date after it, or correct that period instead."
                )
                % {
                    "start": date_format(period.valid_from, "SHORT_DATE_FORMAT"),
                    "end": date_format(period.valid_to, "SHORT_DATE_FORMAT")
                    if period.valid_to
                    else _("open-ended"),
                },
                code=Code.PERIOD_OVERLAP,
            )
    return to_close


def day_before(day: date) -> date:
    return day - timedelta(days=1)


def validity_end(start: date, validity: str) -> date:
    """The last day of a validity such as ``30d``, ``6m`` or ``10y`` counted from ``start``.

    Months and years keep the day of the month (clamped at the month's end:
    29 February plus one year is 28 February), as passports are printed.
    """
    count, unit = int(validity[:-1]), validity[-1]
    if unit == "d":
        return start + timedelta(days=count)
    months = count * (12 if unit == "y" else 1) if unit in "my" else None
    if months is None:
        raise ValueError(f"unknown validity unit in {validity!r}")
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))
