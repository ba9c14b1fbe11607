"""Restore a backup into a new database and folder, and check it against its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from simi.core.backups.databases import BackupFailed
from simi.core.backups.restore import restore_archive


class Command(BaseCommand):
    help = (
        "Restore an archive of `manage.py backup` beside the live data, never over it: "
        "PostgreSQL into a new database on the same server (created here, then "
        "pg_restore), SQLite into a new file, the stored files into a new folder. Checks "
        "every member's SHA-256 against the manifest; with --verify also every table's row "
        "count and checksum, and verifies the restored audit log (as audit_verify does). "
        "Prints a summary with the time it took and exits 1 on any difference. The live "
        "database is never written: to go live on the copy, stop SIMI and point "
        "DATABASE_URL and SIMI_MEDIA_ROOT at it (docs/operations.md, 'Restore')."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The archive written by `manage.py backup`.")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Compare every table's rows and checksum and verify the audit log.",
        )
        parser.add_argument(
            "--database-name",
            help="The new database: a PostgreSQL database name, or an SQLite file path "
            "(default: the live name with _restore_<time>). Must not exist.",
        )
        parser.add_argument(
            "--files-folder",
            help="The new folder for the stored files (default: beside SIMI_MEDIA_ROOT, "
            "named <media>-restore-<time>). Must not exist or be empty.",
        )
        parser.add_argument(
            "--drop-after",
            action="store_true",
            help="Remove the restored database and files at the end (a restore drill).",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The alias whose server (PostgreSQL) or folder (SQLite) receives the copy.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        progress = self.stdout.write if options["verbosity"] >= 1 else None
        try:
            report = restore_archive(
                archive=Path(options["archive"]),
                using=options["database"],
                database=options["database_name"],
                files_folder=Path(options["files_folder"]) if options["files_folder"] else None,
                verify=options["verify"],
                drop_after=options["drop_after"],
                progress=progress,
            )
        except BackupFailed as failed:
            raise CommandError(f"Restore failed: {failed}") from failed
        seconds = report.seconds
        timing = f"{seconds.get('total', 0):.1f} s (restore {seconds.get('restore', 0):.1f} s"
        if "verify" in seconds:
            timing += f", verify {seconds['verify']:.1f} s"
        timing += ")"
        where = (
            "removed (--drop-after)"
            if report.dropped
            else f"kept: {report.database}, {report.files_folder}"
        )
        checked = f"{report.files:,} files"
        if "verify" in seconds:
            checked = f"{report.tables} tables, {report.rows:,} rows, " + checked
            for name, recorded in report.checks.items():
                facts = " ".join(f"{key}={value}" for key, value in sorted(recorded.items()))
                checked += f", {name} {facts}"
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"MISMATCH {problem}")
            raise CommandError(
                f"Restore found {len(report.problems)} problem(s) in {timing}; copy {where}."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restore {'verified' if 'verify' in seconds else 'done'} in {timing}: "
                f"{checked}; copy {where}."
            )
        )
