"""Load the synthetic demo data (idempotent)."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from simi.accounts.demo import DEMO_DOMAIN, demo_seed
from simi.applications.demo import applications_demo_seed
from simi.appointments.demo import appointments_demo_seed
from simi.enforcement.demo import seed_enforcement_demo
from simi.oversight.demo import seed_oversight_demo
from simi.screening.models import RiskModel


class Command(BaseCommand):
    help = (
        "Create SIMI's synthetic demo data: staff of every role in both offices and "
        f"applicants with Indonesian and foreign names, all under @{DEMO_DOMAIN}. "
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
        result = demo_seed(applicants=options["applicants"])
        # the register first: issuing demo stay permits adds to it
        oversight = seed_oversight_demo()
        seed_enforcement_demo()
        applications = applications_demo_seed()
        bookings = appointments_demo_seed()
        if not RiskModel.objects.filter(status=RiskModel.Status.ACTIVE).exists():
            # a synthetic, labelled history: the demo register is too young to learn from
            call_command("train_risk_model", "--activate", stdout=io.StringIO())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo accounts: {result['created']} created, {result['existing']} already there; "
                f"demo applications: {applications} created; visits booked: {bookings}; "
                f"foreigners in the register: {oversight.get('foreigners', 0)}."
            )
        )
