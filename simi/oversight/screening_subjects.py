"""The register's records as screening subjects (``settings.SIMI_SCREENING_SUBJECTS``).

Screening sits below oversight and never reads the register itself: when
``foreigner_register``, ``permit_create``, ``permit_register_from_issuance``,
``lodging_report_submit`` or a finished lodging CSV import asks for a
screening, screening's job calls ``<source>.targets`` for the people to
screen, and the review page calls ``<source>.display``. All read-only.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from simi.oversight.models import Foreigner, LodgingReport, StayPermit
from simi.screening.subjects import (
    Target,
    person_display,
    person_target,
    record_display,
    record_target,
)


def _documents(foreigner: Foreigner) -> tuple[str, ...]:
    return tuple(d.number for d in foreigner.travel_documents.all() if d.number)


class ForeignerSubjects:
    """``"foreigner"``: the foreigner's person and travel documents, at the
    foreigner's office."""

    def targets(self, subject_id: int) -> Iterator[Target]:
        foreigner = (
            Foreigner.objects.select_related("person", "office").filter(pk=subject_id).first()
        )
        if foreigner is not None:
            yield person_target(
                subject_type="foreigner",
                subject_id=foreigner.public_id,
                person=foreigner.person,
                office=foreigner.office,
                documents=_documents(foreigner),
            )

    def display(self, public_id: uuid.UUID) -> dict[str, Any] | None:
        foreigner = Foreigner.objects.select_related("person").filter(public_id=public_id).first()
        return person_display(foreigner.person) if foreigner else None


class StayPermitSubjects:
    """``"stay_permit"``: the permit holder's person and travel documents, at
    the permit's office."""

    def targets(self, subject_id: int) -> Iterator[Target]:
        permit = (
            StayPermit.objects.select_related("foreigner__person", "office")
            .filter(pk=subject_id)
            .first()
        )
        if permit is not None:
            yield person_target(
                subject_type="stay_permit",
                subject_id=permit.public_id,
                person=permit.foreigner.person,
                office=permit.office,
                documents=_documents(permit.foreigner),
            )

    def display(self, public_id: uuid.UUID) -> dict[str, Any] | None:
        permit = (
            StayPermit.objects.select_related("foreigner__person")
            .filter(public_id=public_id)
            .first()
        )
        return person_display(permit.foreigner.person) if permit else None


def _guest(report: LodgingReport) -> Target:
    """The guest as the lodging place wrote them down (name, nationality,
    passport number), about the matched foreigner's person if any, else
    about the passport."""
    foreigner = report.foreigner
    return record_target(
        subject_type="lodging_report",
        subject_id=report.public_id,
        office=report.place.office,
        name=report.full_name or "",
        nationality=report.nationality,
        documents=[report.passport_number or ""],
        person=foreigner.person if foreigner is not None else None,
        passport_index=report.passport_index,
    )


def _reports() -> QuerySet[LodgingReport]:
    return LodgingReport.objects.select_related("place__office", "foreigner__person")


class LodgingReportSubjects:
    """``"lodging_report"``: the guest of one report, at the place's office."""

    def targets(self, subject_id: int) -> Iterator[Target]:
        report = _reports().filter(pk=subject_id).first()
        if report is not None:
            yield _guest(report)

    def display(self, public_id: uuid.UUID) -> dict[str, Any] | None:
        report = LodgingReport.objects.filter(public_id=public_id).first()
        if report is None:
            return None
        return record_display(report.full_name, report.nationality)


class LodgingImportSubjects:
    """``"lodging_import"``: every report of one finished CSV upload (each is
    reviewed as a ``lodging_report``, so there is nothing to display)."""

    def targets(self, subject_id: int) -> Iterator[Target]:
        reports = _reports().filter(lodging_import_id=subject_id).order_by("id")
        for report in reports.iterator(500):
            yield _guest(report)

    def display(self, public_id: uuid.UUID) -> dict[str, Any] | None:
        return None


foreigner = ForeignerSubjects()
stay_permit = StayPermitSubjects()
lodging_report = LodgingReportSubjects()
lodging_import = LodgingImportSubjects()
