"""Who a screening request is about: a registry of subject sources.

Screening sits below the domains whose records it screens (applications,
oversight), so it never reads their records itself. Each domain registers
one source per subject type in ``settings.SIMI_SCREENING_SUBJECTS``
(subject type -> dotted path of the source object, kept in the owning
domain's ``screening_subjects`` module), resolved with
``simi.core.hooks.named``. A source implements
``SubjectSource``: the people to screen for a request, as ``Target``s built
with ``person_target`` / ``record_target``, and what a reviewer sees of a
subject. Screening never writes those records and nothing there reads
screening back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.conf import settings

from simi.core.hooks import named
from simi.core.models import Office
from simi.people.models import Person
from simi.screening.countries import alpha2
from simi.screening.entities import Query
from simi.screening.models import SubjectType
from simi.screening.protection import document_tokens, subject_fingerprint

# The types screening knows: the review items' subject types, plus a whole
# lodging upload at once (screened as its reports). Every key of
# SIMI_SCREENING_SUBJECTS is one of them.
LODGING_IMPORT = "lodging_import"
REQUEST_TYPES = frozenset({*SubjectType.values, LODGING_IMPORT})


@dataclass(frozen=True)
class Target:
    """One person to screen, and where the review item of a hit belongs."""

    subject_type: str  # a SubjectType: what the review item is about
    subject_id: uuid.UUID  # the public id of that record
    subject_key: str  # "person:<uuid>" or "passport:<blind index>"
    office: Office
    query: Query
    fingerprint: str  # subject_fingerprint(query)
    # Nationality (ICAO, as recorded) and sex of the screened person: the
    # fairness report's groups only, never matched on or scored.
    nationality: str = ""
    sex: str = ""


class SubjectSource(Protocol):
    """What a domain implements for each subject type it registers."""

    def targets(self, subject_id: int) -> Iterator[Target]:
        """The people to screen for a request about the record with this
        primary key; nothing when the record is gone."""
        ...

    def display(self, public_id: uuid.UUID) -> dict[str, Any] | None:
        """What a reviewer compares, decrypted: ``person_display`` or
        ``record_display``; None when the record is gone."""
        ...


# --- the registry ------------------------------------------------------------


def registered_types() -> frozenset[str]:
    return frozenset(getattr(settings, "SIMI_SCREENING_SUBJECTS", {}) or {})


def subject_source(subject_type: str) -> SubjectSource:
    """The source registered for a subject type (ValueError when none is)."""
    path = (getattr(settings, "SIMI_SCREENING_SUBJECTS", {}) or {}).get(subject_type)
    if path is None:
        raise ValueError(f"unknown screening subject type {subject_type!r}")
    source: SubjectSource = named(path)
    return source


def targets(subject_type: str, subject_id: int) -> Iterator[Target]:
    """The people to screen for one request; nothing when the record is gone."""
    return subject_source(subject_type).targets(subject_id)


def subject_display(subject_type: str, subject_id: uuid.UUID) -> dict[str, Any] | None:
    """What a reviewer needs to compare (decrypted): name, birth date, nationality."""
    if subject_type not in registered_types():
        return None
    return subject_source(subject_type).display(subject_id)


# --- building blocks for the sources -------------------------------------------------


def person_key(public_id: uuid.UUID | str) -> str:
    return f"person:{public_id}"


def query_for_person(person: Person, extra_documents: Sequence[str] = ()) -> Query:
    documents = [person.passport_number or "", *extra_documents]
    return Query(
        id=str(person.public_id),
        name=person.full_name or "",
        birth_date=person.birth_date.isoformat() if person.birth_date else None,
        nationality=alpha2(person.nationality),
        document_numbers=document_tokens(documents),
    )


def person_target(
    *,
    subject_type: str,
    subject_id: uuid.UUID,
    person: Person,
    office: Office,
    documents: Sequence[str] = (),
) -> Target:
    """Screen a person as SIMI holds them (name, birth date, nationality,
    passport), with the record's other document numbers."""
    query = query_for_person(person, documents)
    return Target(
        subject_type,
        subject_id,
        person_key(person.public_id),
        office,
        query,
        subject_fingerprint(query),
        nationality=person.nationality or "",
        sex=person.sex or "",
    )


def record_target(
    *,
    subject_type: str,
    subject_id: uuid.UUID,
    office: Office,
    name: str,
    nationality: str,
    documents: Sequence[str] = (),
    person: Person | None = None,
    passport_index: str = "",
) -> Target:
    """Screen what a record itself says (a lodging guest as the place wrote
    them down): about ``person`` when the record is matched to one, else
    about the passport's blind index."""
    query = Query(
        id=str(subject_id),
        name=name or "",
        nationality=alpha2(nationality),
        document_numbers=document_tokens(documents),
    )
    if person is not None:
        key = person_key(person.public_id)
        groups = (person.nationality or "", person.sex or "")
    else:
        key = f"passport:{passport_index}"
        groups = (nationality or "", "")
    return Target(
        subject_type,
        subject_id,
        key,
        office,
        query,
        subject_fingerprint(query),
        nationality=groups[0],
        sex=groups[1],
    )


def person_display(person: Person) -> dict[str, Any]:
    return {
        "name": person.full_name,
        "nationality": person.nationality,
        "birth_date": person.birth_date,
    }


def record_display(
    name: str, nationality: str, birth_date: date | None = None
) -> dict[str, Any] | None:
    if not name:
        return None
    return {"name": name, "nationality": nationality, "birth_date": birth_date}
