"""Pick the Indonesian or English text of a catalogue row for the active language.

The catalogue is data edited by administrators, so its texts live in
``<field>_id`` / ``<field>_en`` columns rather than in gettext catalogues.
Indonesian is the official language and always filled in; it is the fallback
when the English text is empty.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

FALLBACK = "id"


def active_language() -> str:
    return (translation.get_language() or FALLBACK).split("-")[0]


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """``localized(service, "name")`` -> ``service.name_en`` in English, else ``name_id``."""
    language = language or active_language()
    value = getattr(obj, f"{field}_{language}", "") if language != FALLBACK else ""
    return str(value or getattr(obj, f"{field}_{FALLBACK}", "") or "")
