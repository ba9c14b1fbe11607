"""ICAO nationality codes (as in SIMI's people and passports) to the ISO
3166-1 alpha-2 codes watchlists use. Data: ``data/countries.csv``."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data" / "countries.csv"


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    with _DATA.open(encoding="utf-8", newline="") as stream:
        return {row["alpha3"]: row["alpha2"] for row in csv.DictReader(stream)}


def alpha2(code: str | None) -> str | None:
    """Alpha-2 for an alpha-2 or ICAO/alpha-3 code; None when unknown or empty."""
    value = (code or "").strip().upper()
    if len(value) == 2 and value.isalpha():
        return value
    return _table().get(value)
