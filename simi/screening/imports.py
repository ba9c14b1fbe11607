"""Versioned watchlist imports: accept a file, then (in the worker) compare
it with the list entry by entry.

New ids are added as drafts, entries whose content differs are changed (and
go back to draft: their impact must be estimated again before they are live),
entries missing from the file are retired (removed), the rest are unchanged.
The list's version moves only when something changed, so the same file twice
changes nothing. Rows are written in batches, each in its own transaction, so
the progress bar moves and other writers are not held up; entries land as
drafts, so a half-finished import never changes what is screened.

Because batches commit as they go, a run whose worker died is not run
again: each batch writes ``heartbeat_at``, and ``watchlist_imports_reap``
(every 5 minutes, and before a new file for the list is accepted) fails an
import silent for ``SIMI_IMPORT_LEASE_SECONDS`` with ``worker_stopped`` and
erases its file. Its batches stay as drafts of the next version; the next
import of the list counts them as changed, so that version is not skipped.
A run the reaper failed cannot write any more.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from simi.accounts.actors import Actor
from simi.audit.services import audit_record
from simi.core.codes import CommonCode, ErrorCode
from simi.core.errors import Conflict, ValidationFailed
from simi.screening.access import MANAGE, require_capability
from simi.screening.codes import Action, Code
from simi.screening.entities import Entity
from simi.screening.live import bump_version
from simi.screening.models import EntryStatus, Watchlist, WatchlistEntry, WatchlistImport
from simi.screening.protection import document_tokens, entity_fingerprint, name_tokens
from simi.screening.watchlists import (
    RowProblem,
    WatchlistFormatError,
    detect_format_of_line,
    read_watchlist,
)

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
BATCH = 500
# A file no worker has taken for this long has lost its job.
STALE_AFTER = timedelta(hours=6)
# When a run last showed it was alive; rows from before heartbeats fall back.
LAST_SIGN = Coalesce("heartbeat_at", "started_at", "created_at")
MAX_STORED_PROBLEMS = 200
_PROBLEM_CODES: tuple[tuple[str, ErrorCode], ...] = (
    ("not UTF-8", Code.NOT_UTF8),
    ("invalid JSON", Code.INVALID_JSON),
    ("id and name are required", Code.ID_OR_NAME_MISSING),
    ("an entity needs", Code.ID_OR_NAME_MISSING),
    ("entity has no name", Code.ID_OR_NAME_MISSING),
    ("birth date", Code.BIRTH_DATE_IGNORED),
    ("country", Code.COUNTRY_IGNORED),
    ("list_kind", Code.UNKNOWN_LIST_KIND),
    ("more fields", Code.TOO_MANY_FIELDS),
    ("duplicate id", Code.DUPLICATE_ID),
    ("stale", CommonCode.WORKER_STOPPED),
)


# What a problem's code means, shown on the import's page in the reader's
# language; a code without a message here is shown as it is.
PROBLEM_MESSAGES: dict[str, Promise] = {
    CommonCode.WORKER_STOPPED: _(
        "The import stopped because the worker reading the file stopped. "
        "The file is not kept: upload it again."
    ),
}


def problem_message(code: str) -> str:
    message = PROBLEM_MESSAGES.get(code)
    return code if message is None else str(message)


def max_bytes() -> int:
    return int(getattr(settings, "SIMI_SCREENING_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _file_error(message: Any, code: ErrorCode) -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={"file": [message]})


def check_size(size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise _file_error(
            _("The file is larger than %(mb)s MB. Split it or ask an administrator.")
            % {"mb": max(1, limit // (1024 * 1024))},
            CommonCode.FILE_TOO_LARGE,
        )


def check_file(raw: bytes) -> tuple[str, str, int]:
    """Size, encoding and format; returns (text, format, data rows)."""
    check_size(len(raw))
    if not raw.strip():
        raise _file_error(_("The file is empty."), CommonCode.FILE_EMPTY)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _file_error(
            _("The file is not UTF-8 text (first bad byte on line %(line)s). Save it as UTF-8.")
            % {"line": line},
            CommonCode.FILE_ENCODING,
        ) from None
    first = raw.split(b"\n", 1)[0]
    try:
        file_format = detect_format_of_line(first)
    except WatchlistFormatError:
        raise _file_error(
            _(
                "The first line is neither an OpenSanctions targets.simple.csv header, "
                "a FollowTheMoney JSON entity, nor a SIMI watchlist header "
                "(id,name,aliases,birth_date,nationality,document_numbers,list_kind,reason)."
            ),
            Code.FILE_FORMAT,
        ) from None
    lines = sum(1 for line in text.splitlines() if line.strip())
    rows = lines if file_format == WatchlistImport.Format.FTM else max(0, lines - 1)
    if rows == 0:
        raise _file_error(_("The file has no entries."), CommonCode.FILE_NO_ROWS)
    return text, file_format, rows


@transaction.atomic
def watchlist_import_start(
    *, actor: Actor, watchlist: Watchlist, raw: bytes, enqueue: bool = True
) -> WatchlistImport:
    """Accept a file for ``watchlist`` and queue it; file problems are refused at once."""
    user = require_capability(actor, MANAGE)
    text, file_format, rows = check_file(raw)
    watchlist_imports_reap(watchlist=watchlist)  # a dead run must not block the list
    try:
        with transaction.atomic():
            upload = WatchlistImport.objects.create(
                watchlist=watchlist,
                file_format=file_format,
                checksum=hashlib.sha256(raw).hexdigest(),
                size_bytes=len(raw),
                content=text,
                rows_total=rows,
                created_by=user,
            )
    except IntegrityError:
        raise Conflict(
            _("Another file for this list is still being imported; wait for it to finish."),
            code=Code.IMPORT_RUNNING,
        ) from None
    audit_record(
        actor=actor,
        action=Action.IMPORT_RECEIVED,
        target=upload,
        data={
            "watchlist": watchlist.code,
            "format": file_format,
            "rows": rows,
            "sha256": upload.checksum,
        },
    )
    if enqueue:
        public_id = str(upload.public_id)
        transaction.on_commit(lambda: run_watchlist_import.enqueue(public_id))
    return upload


def _stuck(now: datetime) -> Q:
    """Running, silent past the lease; or queued and never taken for hours."""
    lease = timedelta(seconds=settings.SIMI_IMPORT_LEASE_SECONDS)
    return Q(status=WatchlistImport.Status.RUNNING, last_sign__lt=now - lease) | Q(
        status=WatchlistImport.Status.QUEUED, last_sign__lt=now - STALE_AFTER
    )


def watchlist_imports_reap(
    *, now: datetime | None = None, watchlist: Watchlist | None = None
) -> list[str]:
    """Fail every import (of ``watchlist``, or all) whose worker stopped, with
    ``worker_stopped``, and erase its file; the ids failed. Safe to run at
    any time: a run still writing its heartbeat is left alone."""
    now = now or timezone.now()
    stuck = WatchlistImport.objects.annotate(last_sign=LAST_SIGN).filter(_stuck(now))
    if watchlist is not None:
        stuck = stuck.filter(watchlist=watchlist)
    failed = []
    for pk in list(stuck.values_list("pk", flat=True)):
        with transaction.atomic():
            upload = (
                WatchlistImport.objects.select_for_update(of=("self",), no_key=True)
                .annotate(last_sign=LAST_SIGN)
                .filter(_stuck(now), pk=pk)
                .select_related("watchlist")
                .first()
            )
            if upload is None:  # it finished while we looked
                continue
            _fail(upload, [RowProblem(0, "stale")], reason=CommonCode.WORKER_STOPPED)
            failed.append(str(upload.public_id))
    return failed


class _Stopped(Exception):
    """The reaper failed this import: the run stops, writing nothing more."""


def _hold(upload: WatchlistImport) -> None:
    """Inside a batch's transaction: lock the import, or stop if it is no
    longer running (the reaper takes the same lock)."""
    held = (
        WatchlistImport.objects.select_for_update(no_key=True)
        .filter(pk=upload.pk, status=WatchlistImport.Status.RUNNING)
        .values_list("pk", flat=True)
        .first()
    )
    if held is None:
        raise _Stopped


def _problem(problem: RowProblem) -> dict[str, Any]:
    code = next(
        (c for prefix, c in _PROBLEM_CODES if problem.message.startswith(prefix)), Code.BAD_ROW
    )
    return {"line": problem.line, "code": code}


def _entry_values(entity: Entity, watchlist: Watchlist, version: int) -> dict[str, Any]:
    tokens = document_tokens(entity.document_numbers)
    return {
        "schema": entity.schema[:40] or "Person",
        "names": json.dumps(list(entity.names), ensure_ascii=False),
        "birth_dates": json.dumps(list(entity.birth_dates)) if entity.birth_dates else None,
        "countries": sorted(set(entity.countries)),
        "document_numbers": (
            json.dumps(list(entity.document_numbers)) if entity.document_numbers else None
        ),
        "document_tokens": list(tokens),
        "name_tokens": name_tokens(entity.names),
        "fingerprint": entity_fingerprint(entity, tokens),
        "reason": entity.reason or None,
        "owner": watchlist.owner_agency
        or (watchlist.owner_office.name if watchlist.owner_office else ""),
        "legal_basis": watchlist.legal_basis,
        "status": EntryStatus.DRAFT,
        "impact_count": None,
        "impact_fingerprint": "",
        "impact_estimated_at": None,
        "published_at": None,
        "published_by": None,
        "retired_at": None,
        "version": version,
    }


class _Run:
    """One import's comparison state."""

    def __init__(self, upload: WatchlistImport) -> None:
        self.upload = upload
        self.watchlist = upload.watchlist
        self.version = self.watchlist.version + 1
        # external id -> (pk, fingerprint, status, version): no decryption needed.
        self.existing: dict[str, tuple[int, str, str, int]] = {
            ext: (pk, fp, status, version)
            for ext, pk, fp, status, version in WatchlistEntry.objects.filter(
                watchlist=self.watchlist
            ).values_list("external_id", "pk", "fingerprint", "status", "version")
        }
        self.seen: set[str] = set()
        self.added = self.changed = self.unchanged = self.removed = 0
        self.live_touched = False
        self.rows = 0

    def flush(self, batch: list[Entity]) -> None:
        new: list[WatchlistEntry] = []
        with transaction.atomic():
            _hold(self.upload)
            for entity in batch:
                values = _entry_values(entity, self.watchlist, self.version)
                known = self.existing.get(entity.id)
                if known is None:
                    new.append(
                        WatchlistEntry(watchlist=self.watchlist, external_id=entity.id, **values)
                    )
                    self.added += 1
                    continue
                pk, fingerprint, status, version = known
                if status != EntryStatus.RETIRED and fingerprint == values["fingerprint"]:
                    # Newer than the list: written by an import that stopped
                    # half-way, and part of no version yet.
                    if version > self.watchlist.version:
                        self.changed += 1
                    else:
                        self.unchanged += 1
                    continue
                if status == EntryStatus.RETIRED:
                    self.added += 1  # back on the list
                else:
                    self.changed += 1
                self.live_touched |= status == EntryStatus.LIVE
                WatchlistEntry.objects.filter(pk=pk).update(**_prepped(values))
            WatchlistEntry.objects.bulk_create(new, batch_size=BATCH)
            if self.live_touched:
                bump_version()
            self.rows += len(batch)
            WatchlistImport.objects.filter(pk=self.upload.pk).update(
                rows_read=min(self.rows, self.upload.rows_total), heartbeat_at=timezone.now()
            )

    def retire_missing(self) -> None:
        gone = [
            ext
            for ext, (_pk, _fp, status, _version) in self.existing.items()
            if ext not in self.seen and status != EntryStatus.RETIRED
        ]
        live = any(self.existing[ext][2] == EntryStatus.LIVE for ext in gone)
        for start in range(0, len(gone), BATCH):
            chunk = gone[start : start + BATCH]
            WatchlistEntry.objects.filter(watchlist=self.watchlist, external_id__in=chunk).update(
                status=EntryStatus.RETIRED, retired_at=timezone.now(), version=self.version
            )
        self.removed = len(gone)
        if live:
            bump_version()


def _prepped(values: dict[str, Any]) -> dict[str, Any]:
    """``update()`` skips nothing: encrypted fields encrypt in get_prep_value."""
    return {**values, "updated_at": timezone.now()}


def _read_and_compare(run: _Run, path: Path, problems: list[RowProblem]) -> None:
    batch: list[Entity] = []
    for entity in read_watchlist(path, problems):
        if entity.id in run.seen:
            problems.append(RowProblem(0, f"duplicate id {len(run.seen)}"))
            continue
        run.seen.add(entity.id)
        batch.append(entity)
        if len(batch) >= BATCH:
            run.flush(batch)
            batch = []
    if batch:
        run.flush(batch)


def watchlist_import_run(
    upload: WatchlistImport, *, progress: Callable[[int, int], None] | None = None
) -> WatchlistImport:
    """Compare the file with the list and apply it. Safe to repeat: only a
    queued import is claimed; a finished one is left alone."""
    now = timezone.now()
    claimed = WatchlistImport.objects.filter(
        pk=upload.pk, status=WatchlistImport.Status.QUEUED
    ).update(status=WatchlistImport.Status.RUNNING, started_at=now, heartbeat_at=now)
    upload.refresh_from_db()
    if not claimed or upload.content is None:
        return upload
    try:
        return _apply(upload)
    except _Stopped:
        upload.refresh_from_db()
        return upload


def _apply(upload: WatchlistImport) -> WatchlistImport:
    assert upload.content is not None
    problems: list[RowProblem] = []
    run = _Run(upload)
    with tempfile.TemporaryDirectory(prefix="simi-watchlist-") as folder:
        path = Path(folder) / "watchlist"
        path.write_bytes(upload.content.encode("utf-8"))
        try:
            _read_and_compare(run, path, problems)
        except WatchlistFormatError:
            problems.append(RowProblem(1, "format"))
            with transaction.atomic():
                _hold(upload)
                return _fail(upload, problems)
    with transaction.atomic():
        _hold(upload)
        run.retire_missing()
        watchlist = Watchlist.objects.select_for_update(no_key=True).get(pk=run.watchlist.pk)
        if run.added or run.changed or run.removed:
            watchlist.version = run.version
            watchlist.save(update_fields=["version", "updated_at"])
        stored = [_problem(p) for p in problems]
        _finish(
            upload,
            status=WatchlistImport.Status.DONE,
            rows_read=upload.rows_total,
            added_count=run.added,
            changed_count=run.changed,
            removed_count=run.removed,
            unchanged_count=run.unchanged,
            problem_count=len(stored),
            problems=stored[:MAX_STORED_PROBLEMS],
            version=watchlist.version,
        )
        audit_record(
            actor=upload.created_by,
            action=Action.IMPORT_DONE,
            target=upload,
            data={
                "watchlist": watchlist.code,
                "version": watchlist.version,
                "added": run.added,
                "changed": run.changed,
                "removed": run.removed,
                "unchanged": run.unchanged,
                "problems": len(stored),
            },
        )
    log.info(
        "watchlist import done",
        extra={"import": str(upload.public_id), "added": run.added, "removed": run.removed},
    )
    return upload


def _finish(upload: WatchlistImport, **changes: Any) -> None:
    changes.update(content=None, finished_at=timezone.now())
    for name, value in changes.items():
        setattr(upload, name, value)
    upload.save(update_fields=[*changes, "updated_at"])


def _fail(
    upload: WatchlistImport, problems: list[RowProblem], *, reason: str = "file"
) -> WatchlistImport:
    with transaction.atomic():
        stored = [_problem(p) for p in problems]
        _finish(
            upload,
            status=WatchlistImport.Status.FAILED,
            problem_count=len(stored),
            problems=stored[:MAX_STORED_PROBLEMS],
        )
        audit_record(
            actor=upload.created_by if reason == "file" else None,
            action=Action.IMPORT_FAILED,
            target=upload,
            data={"watchlist": upload.watchlist.code, "problems": len(stored), "reason": reason},
        )
    return upload


def watchlist_import_file(*, actor: Actor, watchlist: Watchlist, raw: bytes) -> WatchlistImport:
    """The whole import at once, without the worker (operators' command, tests)."""
    upload = watchlist_import_start(actor=actor, watchlist=watchlist, raw=raw, enqueue=False)
    return watchlist_import_run(upload)


@task()
def run_watchlist_import(import_id: str) -> str:
    """The job: compare one uploaded watchlist file with its list and apply it.
    It lives beside the code that queues it and the code it runs."""
    upload = WatchlistImport.objects.filter(public_id=import_id).first()
    if upload is None:
        return "missing"
    return watchlist_import_run(upload).status
