"""Countries by name for people choosing a nationality: ISO 3166-1 alpha-3
codes (as stored on a person) with English and Indonesian names. Data:
``data/countries.csv`` (sources in SOURCES.md)."""

from __future__ import annotations

import unicodedata
from functools import cache

from django.utils.translation import get_language

from simi.core.referencedata import read_csv


@cache
def _rows() -> tuple[tuple[str, str, str], ...]:
    return tuple((r["alpha3"], r["name_en"], r["name_id"]) for r in read_csv("countries.csv"))


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in ``language`` (the active one by default); the code when unknown."""
    index = 2 if (language or get_language() or "id").startswith("id") else 1
    for row in _rows():
        if row[0] == code:
            return row[index]
    return code


def country_names(language: str) -> frozenset[str]:
    """Every country's name in ``language`` ("id" or "en")."""
    index = 2 if language.startswith("id") else 1
    return frozenset(row[index] for row in _rows())


def country_choices(*, exclude: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(code, name) pairs in the active language, sorted by name."""
    index = 2 if (get_language() or "id").startswith("id") else 1
    pairs = [(row[0], row[index]) for row in _rows() if row[0] not in exclude]
    return sorted(pairs, key=lambda pair: _sort_key(pair[1]))


def _sort_key(name: str) -> str:
    # "Åland" sorts with the A's, not after "Zimbabwe".
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
