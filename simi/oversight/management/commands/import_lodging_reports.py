"""Import a CSV file of lodging reports for one place, all rows or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from simi.core.errors import ValidationFailed
from simi.oversight.lodging.imports import CSV_HEADER, lodging_import_file
from simi.oversight.lodging.services import row_error_message
from simi.oversight.models import LodgingImport, LodgingPlace


class Command(BaseCommand):
    help = (
        "Import lodging reports (foreign guests) from a UTF-8 CSV file for the lodging place "
        f"--place CODE. Header: {','.join(CSV_HEADER)}; times as YYYY-MM-DD HH:MM (local "
        "time, Asia/Jakarta); check_out may be empty. Every row is checked first: if any row "
        "is bad, nothing is imported and every bad row is listed with its line number. "
        "Importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the CSV file.")
        parser.add_argument("--place", required=True, help="Code of the lodging place.")
        parser.add_argument(
            "--language", default="id", choices=["id", "en"], help="Language of the messages."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["language"])
        place = LodgingPlace.objects.filter(code=options["place"]).first()
        if place is None:
            raise CommandError(f"No lodging place with code {options['place']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  checked {done}/{total} rows")

        try:
            upload = lodging_import_file(
                actor=None, place=place, raw=path.read_bytes(), progress=progress
            )
        except ValidationFailed as exc:
            raise CommandError(str(exc.message)) from None
        if upload.status == LodgingImport.Status.REJECTED:
            lines = {error["line"] for error in upload.errors}
            self.stdout.write(
                self.style.ERROR(f"Nothing imported: {len(lines)} bad rows of {upload.rows_total}.")
            )
            for error in upload.errors:
                column = f" [{error['field']}]" if error.get("field") else ""
                self.stdout.write(
                    f"  line {error['line']}{column}: {row_error_message(error['code'])}"
                )
            raise CommandError("The file was rejected; correct the rows above and run again.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {upload.rows_total} rows: {upload.created_count} new, "
                f"{upload.updated_count} check-outs added, "
                f"{upload.unchanged_count} already reported."
            )
        )
