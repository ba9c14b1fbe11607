"""Destroy the records older than their retention rule (privacy.RetentionRule)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from simi.privacy.retention import retention_purge


class Command(BaseCommand):
    help = (
        "Apply every active retention rule (edit them in the admin under Personal data "
        "protection > Retention rules): delete, in batches, the records older than each "
        "rule and write one audit entry per record type with the count and the ids. "
        "Prints, per record type, the cut-off, how many records it found and how many it "
        "deleted. Safe to run again: a second run finds nothing more. Run it daily from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be deleted; change nothing and write no audit entry.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        results = retention_purge(dry_run=dry_run)
        if not results:
            self.stdout.write("No active retention rules.")
        for result in results:
            cutoff = timezone.localtime(result.cutoff).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"{result.record_type}: older than {cutoff}: "
                f"found {result.found}, deleted {result.deleted}"
            )
        total = sum(r.deleted for r in results)
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was deleted."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Deleted {total} records."))
