"""The canonical bytes of an audit entry: what its leaf hash commits to.

Canonical JSON follows RFC 8785 (JCS): object keys sorted by their UTF-16 code
units, no whitespace, strings with only the escapes JSON requires (so
``ensure_ascii=False``), numbers in the ECMAScript shortest form, UTF-8 bytes.
An outside verifier with any JCS library reproduces the same bytes, which is
why an integer beyond 2**53 that a double cannot hold is refused instead of
written: a JavaScript verifier would round it and compute a different hash.

Pure Python on purpose (no Django): the same code runs in the service, in the
verifier, in migrations and in a copy an outside auditor may keep.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

# RFC 7493 (I-JSON) §2.2: every integer up to this one survives a double.
MAX_SAFE_INTEGER = 2**53 - 1

# Every field of an entry that its leaf hash covers, in the order documented in
# docs/audit-log.md. The database id is not among them: it is storage, not log.
LEAF_FIELDS = (
    "leaf_index",
    "occurred_at",
    "actor_id",
    "actor_role",
    "office_id",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "data",
    "request_id",
)


def _number(value: int | float) -> str:
    if isinstance(value, int) and abs(value) <= MAX_SAFE_INTEGER:
        return str(value)  # the common case: ids and counts print as themselves
    if isinstance(value, int):
        # JCS numbers are IEEE-754 doubles. An integer whose nearest double
        # prints as another number would be read differently by other
        # verifiers, so it is refused rather than silently rounded.
        try:
            text = _double(float(value))
        except OverflowError:
            text = ""
        if not text or Decimal(text) != value:
            raise ValueError(f"{value} has no exact JSON number form; write it as a string.")
        return text
    return _double(value)


def _double(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError("NaN and Infinity have no JSON form.")
    if value == 0:
        return "0"  # also for -0.0, as ECMAScript prints it
    # repr() is the shortest round-tripping decimal, like ECMAScript's; only
    # the layout (where the point goes, when to switch to exponent) differs.
    sign, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    assert isinstance(exponent, int)  # finite, checked above
    all_digits = "".join(map(str, digit_tuple))
    digits = all_digits.rstrip("0")
    exponent += len(all_digits) - len(digits)
    k = len(digits)
    n = exponent + k  # the value is 0.<digits> x 10^n
    prefix = "-" if sign else ""
    if k <= n <= 21:
        return prefix + digits + "0" * (n - k)
    if 0 < n <= 21:
        return prefix + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return prefix + "0." + "0" * -n + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{prefix}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _encode(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int | float):
        out.append(_number(value))
    elif isinstance(value, str):
        # Python escapes exactly what JCS escapes (", \\, control characters,
        # lower-case \\u00xx) once ensure_ascii is off.
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("JSON object keys must be strings.")
        out.append("{")
        for position, key in enumerate(sorted(value, key=_utf16_key)):
            if position:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _encode(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for position, item in enumerate(value):
            if position:
                out.append(",")
            _encode(item, out)
        out.append("]")
    else:
        raise TypeError(f"{type(value).__name__} has no JSON form; pass ids and codes.")


def canonical_json(value: Any) -> bytes:
    """RFC 8785 canonical UTF-8 bytes of a JSON value."""
    out: list[str] = []
    _encode(value, out)
    return "".join(out).encode("utf-8")


def normalized_json(value: Any) -> Any:
    """The value as it reads back from the database after being stored.

    Storing the normalized form (tuples as lists, 1.0 as 1, ...) makes the
    canonical bytes computed before the INSERT equal to those recomputed later
    from the row, on SQLite's text JSON and PostgreSQL's jsonb alike.
    """
    return json.loads(canonical_json(value))


def utc_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with microseconds, the only timestamp form that is hashed."""
    if moment.tzinfo is None:
        raise ValueError("Audit timestamps must be timezone-aware.")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def leaf_bytes(row: Mapping[str, Any]) -> bytes:
    """Canonical bytes of one entry, from a model instance's fields or a ``values()`` row."""
    document = {name: row[name] for name in LEAF_FIELDS}
    document["occurred_at"] = utc_timestamp(row["occurred_at"])
    return canonical_json(document)
