import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simi.core.errors import ValidationFailed
from simi.core.identity import parse_nik, parse_passport_number

TODAY = date(2026, 11, 22)


def test_it_reads_a_lampung_barat_man_from_his_nik():
    # given a NIK from Balik Bukit (18.04.04), born 17 Aug 1985
    nik = parse_nik("1804041708850001", today=TODAY)
    # then
    assert nik.region_code == "18.04.04"
    assert nik.birth_date == date(1985, 8, 17)
    assert nik.sex == "M"
    assert nik.masked == "1804********0001"


def test_it_reads_a_woman_from_day_plus_forty():
    nik = parse_nik("1804045708950002", today=TODAY)
    assert nik.sex == "F"
    assert nik.birth_date == date(1995, 8, 17)


def test_it_puts_two_digit_years_in_the_right_century():
    assert parse_nik("1804040101200003", today=TODAY).birth_date == date(2020, 1, 1)
    assert parse_nik("1804040101300003", today=TODAY).birth_date == date(1930, 1, 1)


def test_it_accepts_spaces_and_dots_people_type():
    assert parse_nik("1804 0417 0885 0001", today=TODAY).value == "1804041708850001"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "nik_required"),
        ("180404170885000", "nik_format"),  # 15 digits
        ("18040417088500011", "nik_format"),  # 17 digits
        ("18040417O8850001", "nik_format"),  # letter O
        ("١٨٠٤٠٤١٧٠٨٨٥٠٠٠١", "nik_format"),  # Arabic-Indic digits
        ("9904041708850001", "nik_province"),
        ("1800041708850001", "nik_region"),
        ("1804043102850001", "nik_birth_date"),  # 31 February
        ("1804047213850001", "nik_birth_date"),  # month 13
        ("1804041708850000", "nik_serial"),
    ],
)
def test_it_rejects_a_malformed_nik_with_a_reason(raw, code):
    with pytest.raises(ValidationFailed) as caught:
        parse_nik(raw, today=TODAY)
    assert caught.value.code == code
    assert "nik" in caught.value.fields


def test_it_rejects_a_birth_date_later_today():
    with pytest.raises(ValidationFailed) as caught:
        parse_nik("1804042311260001", today=TODAY)  # 23 Nov 2026, tomorrow
    assert caught.value.code == "nik_birth_date"


@given(st.text(max_size=40))
def test_it_never_fails_with_anything_but_a_validation_error(raw):
    with contextlib.suppress(ValidationFailed):
        parse_nik(raw, today=TODAY)


@pytest.mark.parametrize(
    ("raw", "nationality", "expected"),
    [
        ("c1234567", "IDN", "C1234567"),
        ("X 123 4567", "idn", "X1234567"),
        ("L898902C3", "UTO", "L898902C3"),
    ],
)
def test_it_normalizes_valid_passport_numbers(raw, nationality, expected):
    assert parse_passport_number(raw, nationality=nationality).value == expected


@pytest.mark.parametrize(
    ("raw", "nationality", "field"),
    [
        ("", "IDN", "passport_number"),
        ("12345678", "IDN", "passport_number"),
        ("C12345", "IDN", "passport_number"),
        ("ABCDEFGH", "DEU", "passport_number"),
        ("C1234567890", "DEU", "passport_number"),
        ("C1234567", "Indonesia", "nationality"),
    ],
)
def test_it_rejects_bad_passport_numbers_naming_the_field(raw, nationality, field):
    with pytest.raises(ValidationFailed) as caught:
        parse_passport_number(raw, nationality=nationality)
    assert field in caught.value.fields
