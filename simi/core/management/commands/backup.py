"""Back up the database and the stored files into one archive with a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from simi.core.backups.archive import backup_create, default_archive_path
from simi.core.backups.databases import BackupFailed


class Command(BaseCommand):
    help = (
        "Write one tar archive of SIMI's data while SIMI runs: the database (PostgreSQL: "
        "pg_dump --format=custom of one snapshot; SQLite: an online backup), every stored "
        "file (uploads stay encrypted), and manifest.json with each table's row count and "
        "checksum, each file's SHA-256 and the audit log's size and root. Keys are never "
        "included: keep them apart (docs/operations.md). Refuses to overwrite a file. "
        "Prints the archive's SHA-256 (also written to ARCHIVE.sha256). Check an archive "
        "with `manage.py restore ARCHIVE --verify`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "archive",
            nargs="?",
            help="Path of the new archive (default: SIMI_BACKUP_DIR/simi-backup-<UTC time>.tar).",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database alias to back up (default: default).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["archive"]) if options["archive"] else default_archive_path()
        progress = self.stdout.write if options["verbosity"] >= 1 else None
        try:
            done = backup_create(target=target, using=options["database"], progress=progress)
        except BackupFailed as failed:
            raise CommandError(f"Backup failed: {failed}") from failed
        manifest = done.manifest
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written in {done.seconds:.1f} s: {done.path} "
                f"({done.path.stat().st_size:,} bytes; {len(manifest['tables'])} tables, "
                f"{rows:,} rows, {len(manifest['files']):,} files). SHA-256 {done.sha256}"
            )
        )
