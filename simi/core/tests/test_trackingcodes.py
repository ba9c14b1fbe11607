import pytest
from hypothesis import given
from hypothesis import strategies as st

from simi.core import trackingcodes
from simi.core.errors import ValidationFailed

codes = st.text(alphabet=trackingcodes.ALPHABET, min_size=12, max_size=12).map(
    lambda payload: payload + trackingcodes.check_symbols(payload)
)


def test_it_generates_codes_that_validate_and_differ():
    generated = {trackingcodes.generate() for _ in range(500)}
    assert len(generated) == 500
    for code in generated:
        assert trackingcodes.normalize(code) == code


def test_it_reads_a_code_as_people_type_it():
    code = trackingcodes.generate()
    typed = trackingcodes.display(code).lower().replace("0", "o").replace("1", "l")
    assert trackingcodes.normalize(f"  {typed} ") == code


@given(codes, st.integers(min_value=0, max_value=13), st.sampled_from(trackingcodes.ALPHABET))
def test_it_catches_every_single_character_typo(code, position, replacement):
    if code[position] == replacement:
        return
    typo = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationFailed) as caught:
        trackingcodes.normalize(typo)
    assert caught.value.code == "tracking_code_check"


@given(codes, st.integers(min_value=0, max_value=12))
def test_it_catches_every_swap_of_neighbours(code, position):
    if code[position] == code[position + 1]:
        return
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    with pytest.raises(ValidationFailed):
        trackingcodes.normalize(swapped)


def test_every_neighbour_swap_of_every_symbol_pair_in_the_payload_is_caught():
    # Exhaustive over all symbol pairs at every payload position: no luck involved.
    base = "7K3MQ9TX2HNA"
    for position in range(11):
        for a in trackingcodes.ALPHABET:
            for b in trackingcodes.ALPHABET:
                if a == b:
                    continue
                payload = base[:position] + a + b + base[position + 2 :]
                code = payload + trackingcodes.check_symbols(payload)
                swapped = code[:position] + b + a + code[position + 2 :]
                with pytest.raises(ValidationFailed):
                    trackingcodes.normalize(swapped)


@pytest.mark.parametrize("raw", ["", "ABC", "UUUU-UUUU-UUUU-UU", "7K3M-Q9TX-2HNA-4XYZ"])
def test_it_rejects_malformed_codes(raw):
    with pytest.raises(ValidationFailed) as caught:
        trackingcodes.normalize(raw)
    assert caught.value.code == "tracking_code_format"
