"""Run the oversight detection jobs now and say what they found."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simi.oversight.register.detection import (
    lodging_without_permit_detect,
    overstays_detect,
    permit_reminders_create,
    permits_mark_expired,
)


class Command(BaseCommand):
    help = (
        "Find overstays (stay permit expired, no exit, no newer permit; UU 6/2011 Art. 78) "
        "and lodging reports without a valid permit, mark expired permits and create "
        "expiry reminders (30/7/1 days). Prints counts and record ids, never personal data. "
        "Safe to run again: a second run the same day creates nothing new. The worker "
        "runs the same job daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            help="Evaluate as of this day (YYYY-MM-DD) instead of today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["date"]:
            try:
                as_of = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date must be YYYY-MM-DD.") from None
        expired = permits_mark_expired(as_of=as_of)
        reminders = permit_reminders_create(as_of=as_of)
        overstays = overstays_detect(as_of=as_of)
        lodging = lodging_without_permit_detect(as_of=as_of)
        self.stdout.write(f"Permits marked expired: {len(expired)}")
        self.stdout.write(
            f"Expiry reminders: {len(reminders.found)} permits due, {len(reminders.created)} new"
        )
        for reminder in reminders.created:
            self.stdout.write(f"  reminder {reminder}")
        self.stdout.write(
            f"Overstays: {len(overstays.found)} found, {len(overstays.created)} new violations, "
            f"{len(overstays.updated)} updated, {len(overstays.escalated)} escalated"
        )
        for public_id in overstays.created:
            self.stdout.write(f"  created {public_id}")
        for public_id in overstays.escalated:
            self.stdout.write(f"  escalated {public_id}")
        self.stdout.write(
            f"Lodging without a valid permit: {len(lodging.found)} found, "
            f"{len(lodging.created)} new violations"
        )
        for public_id in lodging.created:
            self.stdout.write(f"  created {public_id}")
        self.stdout.write(self.style.SUCCESS("Done."))
