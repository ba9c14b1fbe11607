"""Lodging reports (the APOA duty, UU 6/2011 Art. 72): one guest at a time
from the partner form or API, or a whole CSV file.

A report is keyed by (place, passport, check-in): reporting it again changes
nothing, and the same row with a check-out records the check-out. A CSV file
is checked row by row first; if any row is bad nothing is imported and every
bad row is listed with its line number and reason. Then all rows go in one
transaction. Reports more than 24 hours after check-in are flagged late.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.audit.services import audit_record
from simi.core.errors import (
    Conflict,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from simi.oversight.models import LodgingImport, LodgingPlace, LodgingReport, TravelDocument
from simi.people.services import passport_index
from simi.screening.flows import request_screening as _request_screening

LATE_AFTER = timedelta(hours=24)  # UU 6/2011 Art. 72, operational rule: 1x24 hours
FUTURE_TOLERANCE = timedelta(minutes=10)
CSV_HEADER = ("full_name", "nationality", "passport_number", "check_in", "check_out")
MAX_ROWS = 20_000
PROGRESS_EVERY = 250

# Row problems by code; the message is looked up when shown, in the reader's language.
ROW_ERRORS: dict[str, Promise] = {
    "name_required": _("The guest's name is empty."),
    "name_too_long": _("The guest's name is longer than 150 characters."),
    "nationality_format": _("The nationality must be a three-letter code, e.g. AUS."),
    "passport_required": _("The passport number is empty."),
    "passport_format": _("The passport number is not valid for this nationality."),
    "check_in_required": _("The check-in time is empty."),
    "check_in_format": _("The check-in is not a date and time like 2026-11-20 14:30."),
    "check_in_future": _("The check-in is in the future."),
    "check_out_format": _("The check-out is not a date and time like 2026-11-22 10:00."),
    "check_out_before_check_in": _("The check-out is before the check-in."),
    "check_out_future": _("The check-out is in the future."),
    "check_out_conflict": _("This stay was already reported with another check-out."),
    "duplicate_in_file": _("The same guest and check-in is already on an earlier line."),
    "columns": _("The row does not have the five columns of the header."),
}
_FIELD_OF = {
    "name_required": "full_name",
    "name_too_long": "full_name",
    "nationality_format": "nationality",
    "passport_required": "passport_number",
    "passport_format": "passport_number",
    "check_in_required": "check_in",
    "check_in_format": "check_in",
    "check_in_future": "check_in",
    "check_out_format": "check_out",
    "check_out_before_check_in": "check_out",
    "check_out_future": "check_out",
    "check_out_conflict": "check_out",
}


def row_error_message(code: str) -> str:
    return str(ROW_ERRORS.get(code, ROW_ERRORS["columns"]))


# --- Who may report ----------------------------------------------------------


def can_report(actor: Any) -> bool:
    """Partner accounts with the lodging:report capability."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.role == "partner"
        and actor.can("lodging:report")
    )


def require_reporter(actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not can_report(actor):
        raise PermissionDenied(_("Only lodging partners report guests."), code="partners_only")


def place_for_reporter(*, actor: Any, code: str) -> LodgingPlace:
    """One of the partner's own places; any other answers NotFound."""
    require_reporter(actor)
    place = LodgingPlace.objects.filter(code=code, partners=actor, is_active=True).first()
    if place is None:
        raise NotFound()
    return place


# --- One row -----------------------------------------------------------------


@dataclass(frozen=True)
class GuestData:
    """What the lodging place says about one guest, as entered."""

    full_name: str
    nationality: str
    passport_number: str
    check_in: datetime | str | None
    check_out: datetime | str | None = None


@dataclass
class CleanGuest:
    full_name: str
    nationality: str
    passport_number: str
    passport_index: str
    check_in: datetime
    check_out: datetime | None


def _moment(value: datetime | str | None) -> datetime | None:
    """A check-in/out time; naive times are local (Asia/Jakarta)."""
    if value is None or isinstance(value, datetime):
        moment = value
    else:
        text = value.strip()
        if not text:
            return None
        if len(text) < 16:  # a date alone is not enough: the 24 hours need the hour
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def clean_guest(data: GuestData, *, now: datetime) -> tuple[CleanGuest | None, list[str]]:
    """The cleaned row, or the codes of everything wrong with it."""
    codes: list[str] = []
    name = " ".join((data.full_name or "").split())
    if not name:
        codes.append("name_required")
    elif len(name) > 150:
        codes.append("name_too_long")
    nationality = (data.nationality or "").strip().upper()
    number = "".join((data.passport_number or "").split()).upper()
    index = ""
    if len(nationality) != 3 or not nationality.isascii() or not nationality.isalpha():
        codes.append("nationality_format")
    elif not number:
        codes.append("passport_required")
    else:
        try:
            index = passport_index(number, nationality)
        except ValidationFailed:
            codes.append("passport_format")
    check_in = check_out = None
    try:
        check_in = _moment(data.check_in)
    except ValueError:
        codes.append("check_in_format")
    else:
        if check_in is None:
            codes.append("check_in_required")
        elif check_in > now + FUTURE_TOLERANCE:
            codes.append("check_in_future")
    try:
        check_out = _moment(data.check_out)
    except ValueError:
        codes.append("check_out_format")
    else:
        if check_out is not None and check_in is not None and check_out < check_in:
            codes.append("check_out_before_check_in")
        elif check_out is not None and check_out > now + FUTURE_TOLERANCE:
            codes.append("check_out_future")
    if codes or check_in is None:
        return None, codes
    return CleanGuest(name, nationality, number, index, check_in, check_out), []


def _matching_foreigners(indexes: set[str]) -> dict[str, int]:
    found = TravelDocument.objects.filter(number_index__in=indexes).values_list(
        "number_index", "foreigner_id"
    )
    return dict(found)


def _new_report(
    place: LodgingPlace,
    guest: CleanGuest,
    *,
    actor: Any,
    source: str,
    reported_at: datetime,
    foreigner_id: int | None,
    lodging_import: LodgingImport | None = None,
) -> LodgingReport:
    return LodgingReport(
        place=place,
        full_name=guest.full_name,
        nationality=guest.nationality,
        passport_number=guest.passport_number,
        passport_index=guest.passport_index,
        check_in=guest.check_in,
        check_out=guest.check_out,
        reported_at=reported_at,
        is_late=reported_at - guest.check_in > LATE_AFTER,
        source=source,
        reported_by=actor if getattr(actor, "is_authenticated", False) else None,
        lodging_import=lodging_import,
        foreigner_id=foreigner_id,
    )


@dataclass(frozen=True)
class ReportOutcome:
    report: LodgingReport
    outcome: str  # "created", "checked_out" or "unchanged"


@transaction.atomic
def lodging_report_submit(
    *, actor: Any, place: LodgingPlace, data: GuestData, source: str
) -> ReportOutcome:
    """Report one guest (check-in, and the check-out when known).

    The same guest and check-in again changes nothing; with a check-out it
    records the check-out. A different check-out than the one reported is a
    conflict.
    """
    require_reporter(actor)
    if not place.partners.filter(pk=actor.pk).exists():
        raise NotFound()
    now = timezone.now()
    guest, codes = clean_guest(data, now=now)
    if guest is None:
        fields: dict[str, list[str | Promise]] = {}
        for code in codes:
            fields.setdefault(_FIELD_OF.get(code, "non_field"), []).append(ROW_ERRORS[code])
        raise ValidationFailed(fields=fields)
    existing = (
        LodgingReport.objects.select_for_update()
        .filter(place=place, passport_index=guest.passport_index, check_in=guest.check_in)
        .first()
    )
    if existing is not None:
        return _apply_check_out(actor, existing, guest.check_out)
    foreigner_id = _matching_foreigners({guest.passport_index}).get(guest.passport_index)
    report = _new_report(
        place, guest, actor=actor, source=source, reported_at=now, foreigner_id=foreigner_id
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # the same report, sent twice at once
        raise Conflict(
            _("The same report is being processed; try again shortly."), code="report_in_progress"
        ) from None
    audit_record(
        actor=actor,
        action="oversight.lodging_reported",
        target=report,
        data={
            "place": place.code,
            "source": source,
            "late": report.is_late,
            "matched": foreigner_id is not None,
        },
    )
    _request_screening(subject_type="lodging_report", subject_id=report.pk)
    return ReportOutcome(report, "created")


def _apply_check_out(
    actor: Any, report: LodgingReport, check_out: datetime | None
) -> ReportOutcome:
    if check_out is None or report.check_out == check_out:
        return ReportOutcome(report, "unchanged")
    if report.check_out is not None:
        message = ROW_ERRORS["check_out_conflict"]
        raise Conflict(message, code="check_out_conflict", fields={"check_out": [message]})
    report.check_out = check_out
    report.save(update_fields=["check_out", "updated_at"])
    audit_record(
        actor=actor,
        action="oversight.lodging_checked_out",
        target=report,
        data={"place": report.place.code},
    )
    return ReportOutcome(report, "checked_out")


# --- CSV files ---------------------------------------------------------------


def _file_error(message: str | Promise, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={"file": [message]})


def _decode(raw: bytes) -> str:
    if len(raw) > settings.SIMI_MAX_UPLOAD_BYTES:
        raise _file_error(
            _("The file is too large. Split it into files of at most %(mb)s MB.")
            % {"mb": settings.SIMI_MAX_UPLOAD_BYTES // (1024 * 1024)},
            "file_too_large",
        )
    if not raw.strip():
        raise _file_error(_("The file is empty."), "file_empty")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(
            _(
                'The file is not UTF-8 text. Save it as "CSV UTF-8" in your '
                "spreadsheet program and upload it again."
            ),
            "file_encoding",
        ) from None


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number where the row starts, cells) for every non-empty row after the header."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if line == 1 or not any(cell.strip() for cell in cells):
            continue
        yield line, cells


def check_csv(raw: bytes) -> tuple[str, int]:
    """Encoding, size, header and row count; the text and the number of rows."""
    text = _decode(raw)
    try:
        header = next(csv.reader(io.StringIO(text, newline="")), [])
        count = sum(1 for _row in _rows(text))
    except csv.Error:
        raise _file_error(_("The file is not a valid CSV file."), "file_not_csv") from None
    if tuple(cell.strip().lower() for cell in header) != CSV_HEADER:
        raise _file_error(
            _("The first line must be exactly: %(header)s") % {"header": ",".join(CSV_HEADER)},
            "file_header",
        )
    if count == 0:
        raise _file_error(_("The file has a header but no rows."), "file_no_rows")
    if count > MAX_ROWS:
        raise _file_error(
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": MAX_ROWS},
            "file_too_many_rows",
        )
    return text, count


@transaction.atomic
def lodging_import_start(
    *, actor: Any, place: LodgingPlace, raw: bytes, enqueue: bool = True
) -> LodgingImport:
    """Accept a CSV file for ``place`` and queue it; file-level problems
    (size, encoding, header) are refused at once, row problems by the job."""
    if actor is not None:
        require_reporter(actor)
        if not place.partners.filter(pk=actor.pk).exists():
            raise NotFound()
    text, count = check_csv(raw)
    upload = LodgingImport.objects.create(
        place=place,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        checksum=hashlib.sha256(raw).hexdigest(),
        content=text,
        rows_total=count,
    )
    audit_record(
        actor=actor,
        action="oversight.lodging_import_received",
        target=upload,
        data={"place": place.code, "rows": count, "sha256": upload.checksum},
    )
    if enqueue:
        from simi.oversight import tasks

        public_id = str(upload.public_id)
        transaction.on_commit(lambda: tasks.run_lodging_import.enqueue(public_id))
    return upload


@dataclass
class _Plan:
    new: list[tuple[int, CleanGuest]] = field(default_factory=list)
    check_outs: list[tuple[LodgingReport, datetime]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


class _Rejected(Exception):
    pass


def _validate_rows(
    upload: LodgingImport, text: str, progress: Callable[[int, int], None] | None
) -> tuple[list[tuple[int, CleanGuest]], list[dict[str, Any]]]:
    now = timezone.now()
    good: list[tuple[int, CleanGuest]] = []
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[str, datetime], int] = {}
    checked = 0
    for line, cells in _rows(text):
        checked += 1
        if len(cells) != len(CSV_HEADER):
            errors.append({"line": line, "field": "", "code": "columns"})
        else:
            guest, codes = clean_guest(GuestData(*cells), now=now)
            for code in codes:
                errors.append({"line": line, "field": _FIELD_OF.get(code, ""), "code": code})
            if guest is not None:
                key = (guest.passport_index, guest.check_in)
                if key in seen:
                    errors.append(
                        {
                            "line": line,
                            "field": "",
                            "code": "duplicate_in_file",
                            "first_line": seen[key],
                        }
                    )
                else:
                    seen[key] = line
                    good.append((line, guest))
        if checked % PROGRESS_EVERY == 0:
            LodgingImport.objects.filter(pk=upload.pk).update(rows_checked=checked)
            if progress is not None:
                progress(checked, upload.rows_total)
    LodgingImport.objects.filter(pk=upload.pk).update(rows_checked=checked)
    if progress is not None:
        progress(checked, upload.rows_total)
    return good, errors


def _plan_against_database(place: LodgingPlace, good: list[tuple[int, CleanGuest]]) -> _Plan:
    plan = _Plan()
    indexes = sorted({guest.passport_index for _line, guest in good})
    existing: dict[tuple[str, datetime], LodgingReport] = {}
    for start in range(0, len(indexes), 500):
        chunk = indexes[start : start + 500]
        for row in LodgingReport.objects.select_for_update().filter(
            place=place, passport_index__in=chunk
        ):
            existing[(row.passport_index, row.check_in)] = row
    for line, guest in good:
        report = existing.get((guest.passport_index, guest.check_in))
        if report is None:
            plan.new.append((line, guest))
        elif guest.check_out is None or report.check_out == guest.check_out:
            plan.unchanged += 1
        elif report.check_out is not None:
            plan.errors.append({"line": line, "field": "check_out", "code": "check_out_conflict"})
        else:
            plan.check_outs.append((report, guest.check_out))
    return plan


def _finish(upload: LodgingImport, **changes: Any) -> None:
    changes.update(content=None, finished_at=timezone.now())
    for name, value in changes.items():
        setattr(upload, name, value)
    upload.save(update_fields=[*changes, "updated_at"])


def lodging_import_run(
    upload: LodgingImport, *, progress: Callable[[int, int], None] | None = None
) -> LodgingImport:
    """Check every row, then import all of them in one transaction, or none.

    Safe to repeat: a finished import is left alone, and rows already
    reported are counted as unchanged.
    """
    claimed = LodgingImport.objects.filter(pk=upload.pk, status=LodgingImport.Status.QUEUED).update(
        status=LodgingImport.Status.VALIDATING
    )
    upload.refresh_from_db()
    if not claimed or upload.content is None:
        return upload
    place = upload.place
    good, errors = _validate_rows(upload, upload.content, progress)
    LodgingImport.objects.filter(pk=upload.pk).update(status=LodgingImport.Status.IMPORTING)
    reported_at = upload.created_at
    try:
        with transaction.atomic():
            plan = _plan_against_database(place, good)
            errors.extend(plan.errors)
            if errors:
                raise _Rejected
            matches = _matching_foreigners({guest.passport_index for _line, guest in plan.new})
            LodgingReport.objects.bulk_create(
                [
                    _new_report(
                        place,
                        guest,
                        actor=upload.uploaded_by,
                        source=LodgingReport.Source.CSV,
                        reported_at=reported_at,
                        foreigner_id=matches.get(guest.passport_index),
                        lodging_import=upload,
                    )
                    for _line, guest in plan.new
                ],
                batch_size=500,
            )
            for report, check_out in plan.check_outs:
                report.check_out = check_out
            LodgingReport.objects.bulk_update(
                [report for report, _out in plan.check_outs], ["check_out"], batch_size=500
            )
            _finish(
                upload,
                status=LodgingImport.Status.DONE,
                created_count=len(plan.new),
                updated_count=len(plan.check_outs),
                unchanged_count=plan.unchanged,
            )
            audit_record(
                actor=upload.uploaded_by,
                action="oversight.lodging_import_done",
                target=upload,
                data={
                    "place": place.code,
                    "created": upload.created_count,
                    "checked_out": upload.updated_count,
                    "unchanged": upload.unchanged_count,
                },
            )
            _request_screening(subject_type="lodging_import", subject_id=upload.pk)
    except _Rejected:
        with transaction.atomic():
            _finish(
                upload,
                status=LodgingImport.Status.REJECTED,
                errors=sorted(errors, key=lambda e: (e["line"], e["code"])),
            )
            audit_record(
                actor=upload.uploaded_by,
                action="oversight.lodging_import_rejected",
                target=upload,
                data={"place": place.code, "bad_rows": len({e["line"] for e in errors})},
            )
    return upload


def lodging_import_file(
    *,
    actor: Any,
    place: LodgingPlace,
    raw: bytes,
    progress: Callable[[int, int], None] | None = None,
) -> LodgingImport:
    """The whole import at once, without the worker (operators' command)."""
    upload = lodging_import_start(actor=actor, place=place, raw=raw, enqueue=False)
    return lodging_import_run(upload, progress=progress)
