"""Working-day calendar: weekends, Indonesian holidays and collective leave.

National holidays and cuti bersama come from the ``holidays`` package (public
and government categories); an admin corrects them per office with
``CalendarException`` rows (a late decree, a local closure, a make-up day).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone

from simi.core.models import CalendarException, Office

# Safety net for loops over days: no real SLA spans more than a year of closures.
_MAX_SCAN_DAYS = 3660


@lru_cache(maxsize=64)
def national_holidays(year: int) -> dict[date, str]:
    calendar = holidays.country_holidays(
        "ID", years=year, categories=("public", "government"), language="id"
    )
    return dict(calendar.items())


@dataclass
class WorkingCalendar:
    """Answers 'is this a working day?' for one office (or nationally)."""

    office: Office | None = None
    _overrides: dict[date, bool] = field(default_factory=dict, init=False, repr=False)
    _loaded: bool = field(default=False, init=False, repr=False)

    def _load_overrides(self) -> None:
        if self._loaded:
            return
        rows = CalendarException.objects.filter(office__isnull=True).values_list(
            "date", "is_working_day"
        )
        self._overrides.update(dict(rows))
        if self.office is not None:
            office_rows = CalendarException.objects.filter(office=self.office).values_list(
                "date", "is_working_day"
            )
            # An office's own exception wins over a national one.
            self._overrides.update(dict(office_rows))
        self._loaded = True

    def holiday_name(self, day: date) -> str | None:
        return national_holidays(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        self._load_overrides()
        if day in self._overrides:
            return self._overrides[day]
        if day.weekday() >= 5:
            return False
        return day not in national_holidays(day.year)

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day strictly after ``start`` (``start`` itself not counted)."""
        if days < 0:
            raise ValueError("days must be zero or more")
        current, counted = start, 0
        for _ in range(_MAX_SCAN_DAYS):
            if counted == days:
                return current
            current += timedelta(days=1)
            if self.is_working_day(current):
                counted += 1
        raise ValueError("no working days found within ten years")

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first one after it."""
        current = day
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(current):
                return current
            current += timedelta(days=1)
        raise ValueError("no working days found within ten years")

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def sla_due_date(self, started_at: datetime, working_days: int) -> date:
        """Due date of a service standard of ``working_days`` days.

        The clock runs from the local (Asia/Jakarta) date the complete file was
        received; the due date is the N-th working day after it.
        """
        local_day = timezone.localtime(started_at).date()
        return self.add_working_days(local_day, working_days)
