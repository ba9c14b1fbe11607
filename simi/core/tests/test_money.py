import pytest

from simi.core.errors import ValidationFailed
from simi.core.money import format_rupiah, parse_rupiah


@pytest.mark.parametrize(
    ("amount", "text"), [(0, "Rp0"), (350000, "Rp350.000"), (1000000, "Rp1.000.000")]
)
def test_it_formats_rupiah_with_indonesian_grouping(amount, text):
    assert format_rupiah(amount) == text


def test_it_refuses_to_format_a_float():
    with pytest.raises(TypeError):
        format_rupiah(350000.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["350000", "350.000", "Rp 350.000", "rp350.000", 350000])
def test_it_parses_the_ways_people_write_an_amount(raw):
    assert parse_rupiah(raw) == 350000


@pytest.mark.parametrize("raw", ["350,50", "35.00", "-5", "abc", "", "1.2.3", True, -1, 10**16])
def test_it_rejects_amounts_that_are_not_whole_rupiah(raw):
    with pytest.raises(ValidationFailed):
        parse_rupiah(raw)
