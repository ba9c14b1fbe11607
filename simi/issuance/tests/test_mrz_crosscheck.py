"""Our MRZ against an independent implementation: the PyPI package ``mrz``
(GPL-3.0, a development-only dependency used by these tests alone)."""

import string

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from simi.issuance import mrz
from simi.issuance.tests.test_mrz import SPECIMEN_MRVA, SPECIMEN_TD3, mrz_fields

mrz_checker = pytest.importorskip(
    "mrz.checker.td3",
    reason="the independent PyPI package `mrz` is not installed (pip install 'mrz>=0.6.2,<0.7')",
)
from mrz.checker.mrva import MRVACodeChecker  # noqa: E402
from mrz.generator.td3 import TD3CodeGenerator  # noqa: E402

# Their property per check digit, by our name for it. Their checker also
# judges plausibility (an expiry before birth, a birth date in the future);
# only the check digits are compared here.
THEIR_CHECKS = {
    "document_number": "document_number_hash",
    "birth_date": "birth_date_hash",
    "expiry_date": "expiry_date_hash",
    "optional_data": "optional_data_hash",
    "composite": "final_hash",
}
MRVA_CHECKS = ("document_number", "birth_date", "expiry_date")


def their_failures(checker, names) -> set[str]:
    return {name for name in names if not getattr(checker, THEIR_CHECKS[name])}


ascii_names = st.lists(
    st.text(string.ascii_letters, min_size=1, max_size=8), min_size=1, max_size=3
)


@settings(max_examples=200)
@given(mrz_fields(), ascii_names, ascii_names)
def test_our_td3_equals_the_independent_generator_and_passes_its_checker(fields, sur, given_):
    # given fields whose names fit (the other package does not truncate)
    fields = mrz.MrzFields(
        **{
            **fields.__dict__,
            "primary_identifier": " ".join(sur),
            "secondary_identifier": " ".join(given_),
            "issuing_state": "UTO",
            "sex": fields.sex if fields.sex != "X" else "M",
            "optional_data": fields.optional_data.strip("<") or "A",
        }
    )
    assume(
        len(mrz.transliterate(fields.primary_identifier + " " + fields.secondary_identifier)) < 37
    )
    assume("<" not in fields.optional_data)
    ours = mrz.td3_lines(fields)
    # when the other package writes the same fields
    theirs = str(
        TD3CodeGenerator(
            fields.document_code,
            "UTO",
            fields.primary_identifier,
            fields.secondary_identifier,
            fields.document_number,
            fields.nationality,
            fields.birth_date.strftime("%y%m%d"),
            fields.sex,
            fields.expiry_date.strftime("%y%m%d"),
            fields.optional_data,
            force=True,
        )
    ).splitlines()
    # then the lines are identical and its checker accepts ours
    assert tuple(theirs) == ours
    assert their_failures(mrz_checker.TD3CodeChecker("\n".join(ours)), THEIR_CHECKS) == set()


def test_the_independent_checkers_agree_on_both_specimens():
    assert bool(mrz_checker.TD3CodeChecker("\n".join(SPECIMEN_TD3)))
    assert bool(MRVACodeChecker("\n".join(SPECIMEN_MRVA)))
    assert mrz.parse(SPECIMEN_TD3).valid
    assert mrz.parse(SPECIMEN_MRVA).valid


@settings(max_examples=100)
@given(mrz_fields(optional_length=16))
def test_the_independent_mrva_checker_accepts_our_visas(fields):
    visa = mrz.MrzFields(**{**fields.__dict__, "document_code": "V", "issuing_state": "UTO"})
    assert their_failures(MRVACodeChecker("\n".join(mrz.mrva_lines(visa))), MRVA_CHECKS) == set()


@settings(max_examples=300)
@given(mrz_fields(), st.integers(0, 43), st.sampled_from(string.ascii_uppercase + string.digits))
def test_both_implementations_flag_the_same_checks_after_any_change(fields, position, new):
    # given one of our passports with any character of line 2 replaced
    line1, line2 = mrz.td3_lines(fields)
    assume(position not in {10, 11, 12, 20})  # nationality and sex carry no check digit
    changed = line2[:position] + new + line2[position + 1 :]
    assume(changed[13:19].isdigit() and changed[21:27].isdigit())  # still MRZ dates
    # when both read it
    ours = set(mrz.parse((line1, changed)).failed_checks)
    theirs = their_failures(mrz_checker.TD3CodeChecker(line1 + "\n" + changed), THEIR_CHECKS)
    # then they name the same failing check digits
    assert ours == theirs
