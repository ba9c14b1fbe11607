"""The documents of a parent or guardian that an application for a child needs.

Data, not code: ``data/guardian_documents.csv`` (sources in ``data/SOURCES.md``)
says for which kinds of service, below which age, which documents are asked,
which of the service's own documents each stands in for, and whether only
when the account applying is not the child's parent. ``application_documents``
is the one list of what an application needs: the catalogue's documents of its
service with these joined in, in display order. The application page,
check-your-answers, uploads, the submission's check of what is missing and
the officer's verification all read it.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from django.utils import timezone

from simi.accounts.household.selectors import household_member_of
from simi.accounts.models import HouseholdMember
from simi.applications.models import Application
from simi.catalog.selectors import required_documents

DATA_FILE = Path(__file__).resolve().parent / "data" / "guardian_documents.csv"
NOT_PARENT = "not_parent"


class DocumentRequirement(Protocol):
    """What the pages and checks read of a required document (a catalogue
    ``RequiredDocument`` or a ``GuardianDocument``)."""

    @property
    def code(self) -> str: ...
    @property
    def name_id(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def condition_id(self) -> str: ...
    @property
    def condition_en(self) -> str: ...
    @property
    def is_mandatory(self) -> bool: ...
    @property
    def display_order(self) -> int: ...


@dataclass(frozen=True)
class GuardianDocument:
    """One row of ``guardian_documents.csv``."""

    service_kinds: frozenset[str]
    code: str
    replaces: str
    display_order: int
    is_mandatory: bool
    under_age: int
    when: str
    name_id: str
    name_en: str
    condition_id: str
    condition_en: str
    is_confirmed: bool
    source: str
    description_id: str = ""
    description_en: str = ""


@functools.cache
def guardian_documents() -> tuple[GuardianDocument, ...]:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            GuardianDocument(
                service_kinds=frozenset(row["service_kinds"].split()),
                code=row["code"],
                replaces=row["replaces"],
                display_order=int(row["display_order"]),
                is_mandatory=row["is_mandatory"] == "yes",
                under_age=int(row["under_age"]),
                when=row["when"],
                name_id=row["name_id"],
                name_en=row["name_en"],
                condition_id=row["condition_id"],
                condition_en=row["condition_en"],
                is_confirmed=row["is_confirmed"] == "yes",
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        )


def applied_on(application: Application) -> date:
    """The day of the application: its submission, or today for a draft. An
    extension's permit and a child's age are judged on that day."""
    return timezone.localdate(application.submitted_at or timezone.now())


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def applied_by_parent(application: Application) -> bool:
    """Whether the account applying is the applicant's father or mother: the
    application is for a family member recorded as the account holder's child."""
    member = household_member_of(
        account_id=application.applicant_id, person_id=application.person_id
    )
    return member is not None and member.relationship == HouseholdMember.Relationship.CHILD


def guardian_documents_for(application: Application) -> list[GuardianDocument]:
    """The rows that apply to this application (none for an adult, or a
    person without a birth date on record)."""
    person = application.person
    if person is None or person.birth_date is None:
        return []
    kind = application.service_type.kind
    age = age_on(person.birth_date, applied_on(application))
    rows = [
        row for row in guardian_documents() if kind in row.service_kinds and age < row.under_age
    ]
    if any(row.when == NOT_PARENT for row in rows) and applied_by_parent(application):
        rows = [row for row in rows if row.when != NOT_PARENT]
    return rows


def application_documents(application: Application) -> list[DocumentRequirement]:
    """Every document the application needs, in display order: the service's
    (catalogue) and, for a child, the parent's or guardian's."""
    documents: list[DocumentRequirement] = list(required_documents(application.service_type))
    extra = guardian_documents_for(application)
    if not extra:
        return documents
    replaced = {row.replaces for row in extra if row.replaces}
    merged = [doc for doc in documents if doc.code not in replaced] + list(extra)
    return sorted(merged, key=lambda doc: (doc.display_order, doc.code))
