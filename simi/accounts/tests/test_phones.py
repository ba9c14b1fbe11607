"""Indonesian mobile numbers as people type them (a parser: property tests)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simi.accounts.phones import display_mobile, masked_mobile, parse_mobile

# "8", then 8 to 11 more digits: what follows +62 in an Indonesian mobile number
nationals = st.from_regex(r"8[0-9]{8,11}", fullmatch=True)
separators = st.sampled_from(["", " ", "-", ".", " - "])


@given(national=nationals, sep=separators, prefix=st.sampled_from(["0", "+62", "62", "+62 (0)"]))
def test_every_usual_way_of_writing_a_number_gives_one_e164(national, sep, prefix):
    # given a number written with any prefix and grouped with any separator
    grouped = sep.join([national[:3], national[3:7], national[7:]])
    # then it reads as the same E.164 number, which reads as itself again
    assert parse_mobile(f"{prefix}{sep}{grouped}") == f"+62{national}"
    assert parse_mobile(f"+62{national}") == f"+62{national}"


@given(text=st.text(max_size=30))
def test_anything_it_accepts_is_an_indonesian_mobile_number(text):
    number = parse_mobile(text)
    if number is not None:
        assert number.startswith("+628")
        assert number[1:].isdigit()
        assert 12 <= len(number) <= 15


@pytest.mark.parametrize(
    "typed",
    ["021 5551234", "+1 415 555 1234", "+65 8123 4567", "0812", "0812345678901234", "62", "+62"],
)
def test_it_refuses_landlines_foreign_and_short_or_long_numbers(typed):
    assert parse_mobile(typed) is None


def test_it_shows_a_number_grouped_and_masked():
    assert display_mobile("+6281234567890") == "+62 812 3456 7890"
    assert masked_mobile("+6281234567890") == "+62 812 ***** 890"
