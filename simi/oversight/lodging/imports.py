"""CSV files of lodging reports: accepted at once when the file itself is
sound, then checked and imported by the worker.

Every row is checked first; if any row is bad nothing is imported and every
bad row is listed with its line number and reason. Then all rows go in one
transaction, so a run that stops half-way has imported nothing.

That is what makes a crash cheap: a run writes ``heartbeat_at`` every
``PROGRESS_EVERY`` rows, and ``lodging_imports_reap`` (every 5 minutes) puts
an import whose run has been silent for ``SIMI_IMPORT_LEASE_SECONDS`` back in
the queue, up to ``SIMI_IMPORT_MAX_ATTEMPTS`` runs, then fails it and erases
its file. ``attempts`` fences the runs: one the reaper took back cannot write
any more, so the file is imported exactly once.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from simi.accounts.actors import Actor
from simi.audit.services import audit_record
from simi.core.codes import CommonCode, ErrorCode
from simi.core.errors import NotFound, ValidationFailed
from simi.oversight.access import require_reporter
from simi.oversight.codes import Action, Code
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
# A file no worker has taken for this long has lost its job: it is queued again.
QUEUED_STALE_AFTER = timedelta(hours=6)
RUNNING = (LodgingImport.Status.VALIDATING, LodgingImport.Status.IMPORTING)
# When a run last showed it was alive; rows from before heartbeats fall back.
LAST_SIGN = Coalesce("heartbeat_at", "started_at", "created_at")

# Why an import failed, by code; the message is looked up when shown.
FAILURES: dict[str, Promise] = {
    CommonCode.WORKER_STOPPED: _(
        "The import stopped because the worker checking the file stopped, "
        "several times. Nothing was imported and the file is not kept: upload it again."
    ),
}


def failure_message(code: str) -> str:
    return str(FAILURES.get(code, FAILURES[CommonCode.WORKER_STOPPED]))


def _file_error(message: str | Promise, code: ErrorCode) -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={"file": [message]})


def _decode(raw: bytes) -> str:
    if len(raw) > settings.SIMI_MAX_UPLOAD_BYTES:
        raise _file_error(
            _("The file is too large. Split it into files of at most %(mb)s MB.")
            % {"mb": settings.SIMI_MAX_UPLOAD_BYTES // (1024 * 1024)},
            CommonCode.FILE_TOO_LARGE,
        )
    if not raw.strip():
        raise _file_error(_("The file is empty."), CommonCode.FILE_EMPTY)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(
            _(
                'The file is not UTF-8 text. Save it as "CSV UTF-8" in your '
                "spreadsheet program and upload it again."
            ),
            CommonCode.FILE_ENCODING,
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
        raise _file_error(_("The file is not a valid CSV file."), Code.FILE_NOT_CSV) from None
    if tuple(cell.strip().lower() for cell in header) != CSV_HEADER:
        raise _file_error(
            _("The first line must be exactly: %(header)s") % {"header": ",".join(CSV_HEADER)},
            Code.FILE_HEADER,
        )
    if count == 0:
        raise _file_error(_("The file has a header but no rows."), CommonCode.FILE_NO_ROWS)
    if count > MAX_ROWS:
        raise _file_error(
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": MAX_ROWS},
            Code.FILE_TOO_MANY_ROWS,
        )
    return text, count


@transaction.atomic
def lodging_import_start(
    *, actor: Actor | None, place: LodgingPlace, raw: bytes, enqueue: bool = True
) -> LodgingImport:
    """Accept a CSV file for ``place`` and queue it; file-level problems
    (size, encoding, header) are refused at once, row problems by the job.
    ``actor=None`` is the operators' command."""
    partner = None if actor is None else require_reporter(actor)
    if partner is not None and not place.partners.filter(pk=partner.pk).exists():
        raise NotFound()
    text, count = check_csv(raw)
    upload = LodgingImport.objects.create(
        place=place,
        uploaded_by=partner,
        checksum=hashlib.sha256(raw).hexdigest(),
        content=text,
        rows_total=count,
    )
    audit_record(
        actor=actor,
        action=Action.LODGING_IMPORT_RECEIVED,
        target=upload,
        data={"place": place.code, "rows": count, "sha256": upload.checksum},
    )
    if enqueue:
        public_id = str(upload.public_id)
        transaction.on_commit(lambda: run_lodging_import.enqueue(public_id))
    return upload


@dataclass
class _Plan:
    new: list[tuple[int, CleanGuest]] = field(default_factory=list)
    check_outs: list[tuple[LodgingReport, datetime]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


class _Rejected(Exception):
    pass


class _Superseded(Exception):
    """The reaper took the import back from this run: it stops, writing nothing."""


def _beat(upload: LodgingImport, **changes: Any) -> None:
    """Progress and a heartbeat, if the import is still this run's."""
    ours = LodgingImport.objects.filter(
        pk=upload.pk, attempts=upload.attempts, status__in=RUNNING
    ).update(heartbeat_at=timezone.now(), **changes)
    if not ours:
        raise _Superseded


def _hold(upload: LodgingImport) -> None:
    """Inside the import's transaction: lock the record, or stop if another
    run (or the reaper) has it. The reaper takes the same lock."""
    held = (
        LodgingImport.objects.select_for_update(no_key=True)
        .filter(pk=upload.pk, attempts=upload.attempts, status=LodgingImport.Status.IMPORTING)
        .values_list("pk", flat=True)
        .first()
    )
    if held is None:
        raise _Superseded


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
            errors.append({"line": line, "field": "", "code": Code.COLUMNS})
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
                            "code": Code.DUPLICATE_IN_FILE,
                            "first_line": seen[key],
                        }
                    )
                else:
                    seen[key] = line
                    good.append((line, guest))
        if checked % PROGRESS_EVERY == 0:
            _beat(upload, rows_checked=checked)
            if progress is not None:
                progress(checked, upload.rows_total)
    _beat(upload, rows_checked=checked)
    if progress is not None:
        progress(checked, upload.rows_total)
    return good, errors


def _plan_against_database(place: LodgingPlace, good: list[tuple[int, CleanGuest]]) -> _Plan:
    plan = _Plan()
    indexes = sorted({guest.passport_index for _line, guest in good})
    existing: dict[tuple[str, datetime], LodgingReport] = {}
    for start in range(0, len(indexes), 500):
        chunk = indexes[start : start + 500]
        for row in LodgingReport.objects.select_for_update(no_key=True).filter(
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
            plan.errors.append(
                {"line": line, "field": "check_out", "code": Code.CHECK_OUT_CONFLICT}
            )
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

    Safe to repeat: only a queued import is claimed (each claim is a new
    attempt), a finished one is left alone, and rows already reported are
    counted as unchanged. A run the reaper took back stops without writing.
    """
    now = timezone.now()
    claimed = LodgingImport.objects.filter(pk=upload.pk, status=LodgingImport.Status.QUEUED).update(
        status=LodgingImport.Status.VALIDATING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        rows_checked=0,
    )
    upload.refresh_from_db()
    if not claimed or upload.content is None:
        return upload
    with contextlib.suppress(_Superseded):
        _import(upload, progress)
    upload.refresh_from_db()
    return upload


def _import(upload: LodgingImport, progress: Callable[[int, int], None] | None) -> None:
    assert upload.content is not None
    place = upload.place
    good, errors = _validate_rows(upload, upload.content, progress)
    _beat(upload, status=LodgingImport.Status.IMPORTING)
    reported_at = upload.created_at
    try:
        with transaction.atomic():
            _hold(upload)
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
                action=Action.LODGING_IMPORT_DONE,
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
            _hold(upload)
            _finish(
                upload,
                status=LodgingImport.Status.REJECTED,
                errors=sorted(errors, key=lambda e: (e["line"], e["code"])),
            )
            audit_record(
                actor=upload.uploaded_by,
                action=Action.LODGING_IMPORT_REJECTED,
                target=upload,
                data={"place": place.code, "bad_rows": len({e["line"] for e in errors})},
            )


def lodging_import_file(
    *,
    actor: Actor | None,
    place: LodgingPlace,
    raw: bytes,
    progress: Callable[[int, int], None] | None = None,
) -> LodgingImport:
    """The whole import at once, without the worker (operators' command)."""
    upload = lodging_import_start(actor=actor, place=place, raw=raw, enqueue=False)
    return lodging_import_run(upload, progress=progress)


# --- Runs whose worker died ---------------------------------------------------


@dataclass
class ReapResult:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _stuck(now: datetime) -> Q:
    """Running, silent past the lease; or queued and never taken for hours."""
    lease = timedelta(seconds=settings.SIMI_IMPORT_LEASE_SECONDS)
    return Q(status__in=RUNNING, last_sign__lt=now - lease) | Q(
        status=LodgingImport.Status.QUEUED, last_sign__lt=now - QUEUED_STALE_AFTER
    )


def lodging_imports_reap(*, now: datetime | None = None) -> ReapResult:
    """Take back every import whose worker stopped: queue it again while it
    has runs left (nothing of a stopped run was committed, so this is safe),
    else fail it with the reason and erase its file. Safe to run any time:
    a run still writing its heartbeat is left alone."""
    now = now or timezone.now()
    result = ReapResult()
    stuck = (
        LodgingImport.objects.annotate(last_sign=LAST_SIGN)
        .filter(_stuck(now))
        .values_list("pk", flat=True)
    )
    for pk in list(stuck):
        _reap(pk, now, result)
    return result


@transaction.atomic
def _reap(pk: int, now: datetime, result: ReapResult) -> None:
    upload = (
        LodgingImport.objects.select_for_update(of=("self",), no_key=True)
        .annotate(last_sign=LAST_SIGN)
        .filter(_stuck(now), pk=pk)
        .select_related("place")
        .first()
    )
    if upload is None:  # it finished, or moved, while we looked
        return
    last_sign = upload.heartbeat_at or upload.started_at or upload.created_at
    data = {
        "place": upload.place.code,
        "status": upload.status,
        "attempts": upload.attempts,
        "silent_seconds": int((now - last_sign).total_seconds()),
        "reason": CommonCode.WORKER_STOPPED,
    }
    if upload.attempts < settings.SIMI_IMPORT_MAX_ATTEMPTS:
        upload.status = LodgingImport.Status.QUEUED
        upload.rows_checked = 0
        upload.heartbeat_at = now
        upload.save(update_fields=["status", "rows_checked", "heartbeat_at", "updated_at"])
        audit_record(actor=None, action=Action.LODGING_IMPORT_REQUEUED, target=upload, data=data)
        public_id = str(upload.public_id)
        transaction.on_commit(lambda: run_lodging_import.enqueue(public_id))
        result.requeued.append(public_id)
        return
    _finish(upload, status=LodgingImport.Status.FAILED, failure=CommonCode.WORKER_STOPPED)
    audit_record(actor=None, action=Action.LODGING_IMPORT_FAILED, target=upload, data=data)
    result.failed.append(str(upload.public_id))


@task()
def run_lodging_import(import_id: str) -> str:
    """The job: check and import one uploaded CSV file (all rows or none).

    It lives beside the code that queues it and the code it runs, so that
    neither has to import the other's module back."""
    upload = LodgingImport.objects.filter(public_id=import_id).first()
    if upload is None:
        return "missing"
    return lodging_import_run(upload).status
