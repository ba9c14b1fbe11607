"""CSV files of lodging reports: accepted at once when the file itself is
sound, then checked and imported by the worker.

Every row is checked first; if any row is bad nothing is imported and every
bad row is listed with its line number and reason. Then all rows go in one
transaction, so a run that stops half-way has imported nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.audit.services import audit_record
from simi.core.errors import NotFound, ValidationFailed
from simi.oversight.access import require_reporter
from simi.oversight.lodging.services import (
    FIELD_OF,
    CleanGuest,
    GuestData,
    clean_guest,
    matching_foreigners,
    new_report,
)
from simi.oversight.models import LodgingImport, LodgingPlace, LodgingReport
from simi.screening.flows import request_screening as _request_screening

CSV_HEADER = ("full_name", "nationality", "passport_number", "check_in", "check_out")
MAX_ROWS = 20_000
PROGRESS_EVERY = 250


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
        from simi.oversight.lodging import tasks

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
                errors.append({"line": line, "field": FIELD_OF.get(code, ""), "code": code})
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
            matches = matching_foreigners({guest.passport_index for _line, guest in plan.new})
            LodgingReport.objects.bulk_create(
                [
                    new_report(
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
