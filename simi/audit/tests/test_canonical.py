"""Canonical bytes (RFC 8785) of entries: what every leaf hash commits to."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simi.audit.canonical import (
    MAX_SAFE_INTEGER,
    canonical_json,
    leaf_bytes,
    normalized_json,
    utc_timestamp,
)


def test_it_writes_the_rfc_8785_sample():
    # given the sample of RFC 8785 §3.2.2
    value = {
        "numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/",
        "literals": [None, True, False],
    }
    # then
    assert (
        canonical_json(value)
        == (
            '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
            '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
        ).encode()
    )


def test_it_sorts_keys_by_utf16_code_units():
    # RFC 8785 §3.2.3: the emoji (a surrogate pair) sorts before U+FB33
    value = dict.fromkeys(["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6"], 0)
    keys = list(normalized_json(value))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1.0, "1"),
        (-0.0, "0"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-6, "0.000001"),
        (1e-7, "1e-7"),
        (-5.5, "-5.5"),
        (MAX_SAFE_INTEGER, "9007199254740991"),
        (10**21, "1e+21"),
    ],
)
def test_it_writes_numbers_the_ecmascript_way(number, text):
    assert canonical_json(number) == text.encode()


@pytest.mark.parametrize(
    "value", [MAX_SAFE_INTEGER + 2, 10**400, float("nan"), float("inf"), object()]
)
def test_it_refuses_what_another_verifier_could_not_reproduce(value):
    with pytest.raises((ValueError, TypeError)):
        canonical_json({"x": value})


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(json_values)
def test_it_reads_back_what_it_stored(value):
    # the normalized value is a fixpoint: what the database returns hashes the same
    stored = normalized_json(value)
    assert canonical_json(stored) == canonical_json(value)
    assert normalized_json(stored) == stored


def test_it_hashes_every_leaf_field_and_utc_time():
    # given an entry written at 07:00 in Jakarta
    jakarta = timezone(timedelta(hours=7))
    row = {
        "id": 99,
        "leaf_index": 3,
        "occurred_at": datetime(2026, 11, 22, 7, 0, 0, 5, tzinfo=jakarta),
        "actor_id": 12,
        "actor_role": "supervisor",
        "office_id": None,
        "action": "accounts.staff_created",
        "object_type": "accounts.user",
        "object_id": "u-1",
        "purpose": "",
        "data": {"role": "front_desk"},
        "request_id": "r1",
    }
    # then the database id is not hashed and the time is UTC with microseconds
    assert leaf_bytes(row) == (
        b'{"action":"accounts.staff_created","actor_id":12,"actor_role":"supervisor",'
        b'"data":{"role":"front_desk"},"leaf_index":3,"object_id":"u-1",'
        b'"object_type":"accounts.user","occurred_at":"2026-11-22T00:00:00.000005Z",'
        b'"office_id":null,"purpose":"","request_id":"r1"}'
    )


def test_it_refuses_naive_times():
    with pytest.raises(ValueError, match="timezone-aware"):
        utc_timestamp(datetime(2026, 1, 1))
    assert utc_timestamp(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00.000000Z"
