"""The register as a CSV download: streamed row by row, and audited."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from simi.accounts.actors import Actor
from simi.audit.services import audit_record
from simi.oversight.codes import Action
from simi.oversight.models import Foreigner
from simi.oversight.register.selectors import ForeignerFilters, foreigner_list

EXPORT_HEADER = (
    "id",
    "full_name",
    "nationality",
    "sex",
    "kecamatan_code",
    "kecamatan",
    "office",
    "permit_kind",
    "permit_valid_until",
    "registered_on",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(value: Any) -> str:
    """Spreadsheets run cells that start like a formula; neutralize them."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _row(foreigner: Foreigner) -> list[str]:
    person = foreigner.person
    kecamatan = foreigner.kecamatan
    until = getattr(foreigner, "permit_until", None)
    return [
        _safe(value)
        for value in (
            foreigner.public_id,
            person.full_name,
            person.nationality,
            person.sex,
            kecamatan.code if kecamatan else "",
            kecamatan.name if kecamatan else "",
            foreigner.office.code,
            getattr(foreigner, "permit_kind", None) or "",
            until.isoformat() if until else "",
            timezone.localtime(foreigner.created_at).date().isoformat(),
        )
    ]


def _audited(actor: Actor, filters: ForeignerFilters, fmt: str) -> QuerySet[Foreigner]:
    found: QuerySet[Foreigner] = foreigner_list(actor=actor, filters=filters)
    audit_record(
        actor=actor,
        action=Action.FOREIGNERS_EXPORTED,
        data={
            "rows": found.count(),
            "nationality": filters.nationality,
            "kecamatan": filters.kecamatan,
            "permit_kind": filters.permit_kind,
            "expiring_within": filters.expiring_within,
            "format": fmt,
        },
        purpose="oversight",
    )
    return found


def foreigners_csv(*, actor: Actor, filters: ForeignerFilters) -> Iterator[str]:
    """CSV lines of the filtered register; the export is audited before the first row."""
    found = _audited(actor, filters, "csv")
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(EXPORT_HEADER)
        for foreigner in found.iterator(chunk_size=500):
            yield writer.writerow(_row(foreigner))

    return lines()


def foreigners_xlsx(*, actor: Actor, filters: ForeignerFilters) -> IO[bytes]:
    """The same rows as an XLSX workbook (write-only, so memory stays flat),
    in a temporary file the caller streams and closes; audited first."""
    from openpyxl import Workbook  # type: ignore[import-untyped]

    found = _audited(actor, filters, "xlsx")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("orang-asing")
    sheet.append(list(EXPORT_HEADER))
    for foreigner in found.iterator(chunk_size=500):
        sheet.append(_row(foreigner))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def export_filename(extension: str = "csv") -> str:
    return f"orang-asing-{timezone.localdate().isoformat()}.{extension}"
