"""Who a screening request is about: the people behind an application, a
foreigner, a stay permit or a lodging report, as matching queries.

Read-only access to the records of other domains; screening never writes
them and nothing there reads screening back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from simi.core.models import Office
from simi.people.models import Person
from simi.screening.countries import alpha2
from simi.screening.entities import Query
from simi.screening.models import SubjectType
from simi.screening.protection import document_tokens, subject_fingerprint

# Request types: the subject types, plus a whole lodging upload at once.
LODGING_IMPORT = "lodging_import"
REQUEST_TYPES = frozenset({*SubjectType.values, LODGING_IMPORT})


@dataclass(frozen=True)
class Target:
    subject_type: str
    subject_id: uuid.UUID
    subject_key: str  # "person:<uuid>" or "passport:<blind index>"
    office: Office
    query: Query
    fingerprint: str  # subject_fingerprint(query)


def query_for_person(person: Person, extra_documents: tuple[str, ...] = ()) -> Query:
    documents = [person.passport_number or "", *extra_documents]
    return Query(
        id=str(person.public_id),
        name=person.full_name or "",
        birth_date=person.birth_date.isoformat() if person.birth_date else None,
        nationality=alpha2(person.nationality),
        document_numbers=document_tokens(documents),
    )


def _target(subject_type: str, public_id: uuid.UUID, key: str, office: Office, q: Query) -> Target:
    return Target(subject_type, public_id, key, office, q, subject_fingerprint(q))


def _person_target(
    subject_type: str, public_id: uuid.UUID, person: Person, office: Office, docs: tuple[str, ...]
) -> Target:
    query = query_for_person(person, docs)
    return _target(subject_type, public_id, f"person:{person.public_id}", office, query)


def _foreigner_documents(foreigner: Any) -> tuple[str, ...]:
    return tuple(d.number for d in foreigner.travel_documents.all() if d.number)


def _lodging_target(report: Any) -> Target:
    foreigner = report.foreigner
    if foreigner is not None:
        key = f"person:{foreigner.person.public_id}"
    else:
        key = f"passport:{report.passport_index}"
    query = Query(
        id=str(report.public_id),
        name=report.full_name or "",
        nationality=alpha2(report.nationality),
        document_numbers=document_tokens([report.passport_number or ""]),
    )
    return _target(SubjectType.LODGING_REPORT, report.public_id, key, report.place.office, query)


def targets(subject_type: str, subject_id: int) -> Iterator[Target]:
    """The people to screen for one request; nothing when the record is gone."""
    if subject_type == SubjectType.APPLICATION:
        from simi.applications.models import Application

        app = Application.objects.select_related("person", "office").filter(pk=subject_id).first()
        if app is not None and app.person is not None:
            yield _person_target(subject_type, app.public_id, app.person, app.office, ())
    elif subject_type == SubjectType.FOREIGNER:
        from simi.oversight.models import Foreigner

        foreigner = (
            Foreigner.objects.select_related("person", "office").filter(pk=subject_id).first()
        )
        if foreigner is not None:
            docs = _foreigner_documents(foreigner)
            yield _person_target(
                subject_type, foreigner.public_id, foreigner.person, foreigner.office, docs
            )
    elif subject_type == SubjectType.STAY_PERMIT:
        from simi.oversight.models import StayPermit

        permit = (
            StayPermit.objects.select_related("foreigner__person", "office")
            .filter(pk=subject_id)
            .first()
        )
        if permit is not None:
            docs = _foreigner_documents(permit.foreigner)
            yield _person_target(
                subject_type, permit.public_id, permit.foreigner.person, permit.office, docs
            )
    elif subject_type == SubjectType.LODGING_REPORT:
        from simi.oversight.models import LodgingReport

        report = (
            LodgingReport.objects.select_related("place__office", "foreigner__person")
            .filter(pk=subject_id)
            .first()
        )
        if report is not None:
            yield _lodging_target(report)
    elif subject_type == LODGING_IMPORT:
        from simi.oversight.models import LodgingReport

        reports = LodgingReport.objects.select_related("place__office", "foreigner__person")
        for report in reports.filter(lodging_import_id=subject_id).order_by("id").iterator(500):
            yield _lodging_target(report)
    else:
        raise ValueError(f"unknown screening subject type {subject_type!r}")


def subject_display(subject_type: str, subject_id: uuid.UUID) -> dict[str, Any] | None:
    """What a reviewer needs to compare (decrypted): name, birth date, nationality."""
    person: Person | None = None
    name, nationality, birth = "", "", None
    if subject_type == SubjectType.APPLICATION:
        from simi.applications.models import Application

        app = Application.objects.select_related("person").filter(public_id=subject_id).first()
        person = app.person if app else None
    elif subject_type == SubjectType.FOREIGNER:
        from simi.oversight.models import Foreigner

        foreigner = Foreigner.objects.select_related("person").filter(public_id=subject_id).first()
        person = foreigner.person if foreigner else None
    elif subject_type == SubjectType.STAY_PERMIT:
        from simi.oversight.models import StayPermit

        permit = (
            StayPermit.objects.select_related("foreigner__person")
            .filter(public_id=subject_id)
            .first()
        )
        person = permit.foreigner.person if permit else None
    elif subject_type == SubjectType.LODGING_REPORT:
        from simi.oversight.models import LodgingReport

        report = LodgingReport.objects.filter(public_id=subject_id).first()
        if report is None:
            return None
        name, nationality = report.full_name, report.nationality
    if person is not None:
        name, nationality, birth = person.full_name, person.nationality, person.birth_date
    elif not name:
        return None
    return {"name": name, "nationality": nationality, "birth_date": birth}
