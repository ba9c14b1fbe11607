from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from simi.core.models import CalendarException
from simi.core.workdays import WorkingCalendar

JAKARTA = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def test_it_skips_weekends():
    calendar = WorkingCalendar()
    # Friday 6 Nov 2026 + 1 working day = Monday 9 Nov
    assert calendar.add_working_days(date(2026, 11, 6), 1) == date(2026, 11, 9)


def test_it_skips_idul_fitri_and_its_collective_leave():
    calendar = WorkingCalendar()
    # 2026: Nyepi 19 Mar, cuti bersama 18, 20, 23, 24 Mar, Idul Fitri 21-22 Mar.
    assert not calendar.is_working_day(date(2026, 3, 18))
    assert not calendar.is_working_day(date(2026, 3, 23))
    # Complete file on Tue 17 Mar: 4 working days are 25, 26, 27, 30 Mar.
    assert calendar.add_working_days(date(2026, 3, 17), 4) == date(2026, 3, 30)
    assert calendar.holiday_name(date(2026, 3, 21)) == "Hari Raya Idul Fitri"


def test_it_counts_working_days_between_dates():
    calendar = WorkingCalendar()
    assert (
        calendar.working_days_between(date(2026, 12, 21), date(2026, 12, 28)) == 3
    )  # 24-25 Dec off
    assert calendar.working_days_between(date(2026, 12, 28), date(2026, 12, 21)) == -3


def test_it_uses_the_jakarta_date_for_the_sla_clock():
    calendar = WorkingCalendar()
    # 20:30 UTC on Thursday is already Friday 03:30 in Liwa.
    received = datetime(2026, 11, 19, 20, 30, tzinfo=ZoneInfo("UTC"))
    assert calendar.sla_due_date(received, 4) == date(2026, 11, 26)  # Fri + 4 = Thu


def test_an_admin_exception_closes_or_opens_a_day(liwa, kotabumi):
    CalendarException.objects.create(
        date=date(2026, 11, 24), is_working_day=False, reason="Kantor tutup (uji)"
    )
    CalendarException.objects.create(
        date=date(2026, 11, 28), office=liwa, is_working_day=True, reason="Pelayanan Sabtu (uji)"
    )
    national, at_liwa = WorkingCalendar(), WorkingCalendar(office=liwa)
    assert not national.is_working_day(date(2026, 11, 24))
    assert not at_liwa.is_working_day(date(2026, 11, 24))
    assert at_liwa.is_working_day(date(2026, 11, 28))
    assert not WorkingCalendar(office=kotabumi).is_working_day(date(2026, 11, 28))


def test_an_office_exception_beats_the_national_one(liwa):
    CalendarException.objects.create(
        date=date(2026, 11, 24), is_working_day=False, reason="Nasional (uji)"
    )
    CalendarException.objects.create(
        date=date(2026, 11, 24), office=liwa, is_working_day=True, reason="Buka (uji)"
    )
    assert WorkingCalendar(office=liwa).is_working_day(date(2026, 11, 24))


def test_zero_days_is_the_start_day_and_negative_is_refused():
    calendar = WorkingCalendar()
    assert calendar.add_working_days(date(2026, 11, 22), 0) == date(2026, 11, 22)
    with pytest.raises(ValueError, match="zero or more"):
        calendar.add_working_days(date(2026, 11, 22), -1)
    assert calendar.next_working_day(date(2026, 11, 22)) == date(2026, 11, 23)
