"""Exports of the case list and of the dashboard's foreigner counts, as CSV
(streamed row by row) or XLSX (openpyxl write-only workbook in a temporary
file, then streamed). Every export is audited before the first byte.

The case list carries ids and codes, not names: a spreadsheet travels
further than the page, and the foreigner's file is one click away in SIMI.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.utils import timezone

from simi.accounts.actors import Actor
from simi.audit.services import audit_record
from simi.core.models import Region
from simi.enforcement.codes import Action
from simi.enforcement.dashboard import kecamatan_counts, nationality_counts
from simi.enforcement.selectors import CaseFilters, case_list

CASE_HEADER = (
    "case_id",
    "status",
    "office",
    "foreigner_id",
    "nationality",
    "kecamatan_code",
    "opened_on",
    "due_date",
    "assignee",
    "violations",
    "actions_waiting",
)
COUNT_HEADER = ("dimension", "code", "name", "foreigners")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(value: Any) -> Any:
    """Spreadsheets run cells that start like a formula; neutralize them."""
    if isinstance(value, int):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _case_rows(actor: Actor, filters: CaseFilters) -> tuple[int, Iterable[list[Any]]]:
    found = case_list(actor=actor, filters=filters)
    total = found.count()

    def rows() -> Iterator[list[Any]]:
        for case in found.iterator(chunk_size=500):
            subject = case.subject
            yield [
                str(case.public_id),
                case.status,
                case.office.code,
                str(subject.public_id),
                subject.person.nationality,
                subject.kecamatan.code if subject.kecamatan else "",
                timezone.localtime(case.opened_at).date().isoformat(),
                case.due_date.isoformat(),
                case.assignee.email if case.assignee else "",
                case.violation_count,  # type: ignore[attr-defined]
                case.pending_actions,  # type: ignore[attr-defined]
            ]

    return total, rows()


def _count_rows(actor: Actor) -> list[list[Any]]:
    names = dict(Region.objects.filter(level=Region.Level.DISTRICT).values_list("code", "name"))
    rows: list[list[Any]] = [
        ["kecamatan", code, names.get(code, code), n]
        for code, n in kecamatan_counts(actor=actor).items()
    ]
    rows += [["nationality", code, code, n] for code, n in nationality_counts(actor=actor)]
    return rows


def _csv(header: tuple[str, ...], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header).encode()
    for row in rows:
        yield writer.writerow([_safe(v) for v in row]).encode()


def _xlsx(title: str, header: tuple[str, ...], rows: Iterable[list[Any]]) -> IO[bytes]:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    sheet.append(list(header))
    for row in rows:
        sheet.append([_safe(v) for v in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def _chunks(handle: IO[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while chunk := handle.read(size):
            yield chunk
    finally:
        handle.close()


def cases_export(*, actor: Actor, filters: CaseFilters, fmt: str) -> Iterator[bytes]:
    """The filtered case list as CSV or XLSX bytes; audited first."""
    total, rows = _case_rows(actor, filters)
    audit_record(
        actor=actor,
        action=Action.CASES_EXPORTED,
        data={"format": fmt, "rows": total, "status": filters.status},
        purpose="oversight",
    )
    if fmt == "xlsx":
        return _chunks(_xlsx("cases", CASE_HEADER, rows))
    return _csv(CASE_HEADER, rows)


def counts_export(*, actor: Actor, fmt: str) -> Iterator[bytes]:
    """The dashboard's foreigner counts (by kecamatan, by nationality); audited."""
    rows = _count_rows(actor)
    audit_record(
        actor=actor,
        action=Action.COUNTS_EXPORTED,
        data={"format": fmt, "rows": len(rows)},
        purpose="oversight",
    )
    if fmt == "xlsx":
        return _chunks(_xlsx("foreigners", COUNT_HEADER, rows))
    return _csv(COUNT_HEADER, rows)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_filename(kind: str, fmt: str) -> str:
    return f"{kind}-{timezone.localdate().isoformat()}.{fmt}"
