"""Keyed tokens and fingerprints: how screening keeps names and numbers out
of the database in clear while still matching, de-duplicating and
remembering dismissed pairs.

Every token is an HMAC under SIMI's index key (``simi.core.crypto``), each
with its own purpose, so a token of one kind never equals one of another and
nobody without the key can test a guessed name against the table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from simi.core.crypto import blind_index
from simi.screening.entities import Entity, Query
from simi.screening.normalize import name_forms, normalize_document_number, normalize_name

DOCUMENT = "screening-document"
NAME_KEY = "screening-name-key"
ENTRY = "screening-entry"
SUBJECT = "screening-subject"
PAIR = "screening-pair"
# Name-key tokens are shortened on purpose: 64 bits keep collisions rare
# enough for an exact-key channel while saying less about frequency.
NAME_TOKEN_CHARS = 16


def document_token(number: str) -> str:
    """Token of a document number (normalized first); empty for no number."""
    normalized = normalize_document_number(number or "")
    return blind_index(DOCUMENT, normalized) if normalized else ""


def document_tokens(numbers: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in (document_token(n) for n in numbers) if t))


def name_tokens(names: Iterable[str]) -> list[str]:
    """Sorted distinct tokens of every phonetic key of every reading of every name."""
    keys = {key for name in names for form in name_forms(name) for key in form.keys}
    return sorted(blind_index(NAME_KEY, key)[:NAME_TOKEN_CHARS] for key in keys)


def _digest(purpose: str, payload: object) -> str:
    return blind_index(purpose, json.dumps(payload, sort_keys=True, ensure_ascii=False))


def entity_fingerprint(entity: Entity, documents: Iterable[str] = ()) -> str:
    """Everything an entry's matching and governance text depend on."""
    return _digest(
        ENTRY,
        {
            "names": list(entity.names),
            "birth": sorted(entity.birth_dates),
            "countries": sorted(entity.countries),
            "documents": sorted(documents),
            "reason": entity.reason,
            "schema": entity.schema,
        },
    )


def subject_fingerprint(query: Query) -> str:
    """The data of a screened person that a match depends on (no query id)."""
    name = normalize_name(query.name)
    return _digest(
        SUBJECT,
        {
            "keys": list(name.keys),
            "birth": query.birth_date or "",
            "nationality": query.nationality or "",
            "documents": sorted(query.document_numbers),
        },
    )


def pair_fingerprint(subject: str, entry: str) -> str:
    return blind_index(PAIR, f"{subject}:{entry}")
