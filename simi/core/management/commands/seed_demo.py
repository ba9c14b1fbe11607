"""Load the synthetic demo data (idempotent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from simi.core.demo import DemoOptions, demo_seeders


class Command(BaseCommand):
    help = (
        "Create SIMI's synthetic demo data: staff of every role in both offices, "
        "applicants with Indonesian and foreign names, the register of foreigners, "
        "applications in every state, visits and cases, all flagged as demo data. "
        "Safe to run again: existing demo rows are refreshed, nothing is duplicated. "
        "Refuses to run when SIMI_ENV=production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--applicants", type=int, default=24, help="Generated applicants (default 24)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run with SIMI_ENV=production.")
        if not 0 <= options["applicants"] <= 10_000:
            raise CommandError("--applicants must be between 0 and 10000.")
        self.stdout.write("Seeding synthetic demo data ...")
        run = DemoOptions(applicants=options["applicants"])
        for seeder in demo_seeders():
            self.stdout.write(f"  {seeder(run)}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
