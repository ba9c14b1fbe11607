"""Escalate the data-subject requests past their 3x24-hour deadline."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from simi.privacy.services import dsr_escalate_overdue


class Command(BaseCommand):
    help = (
        "Mark every open data-subject request whose 3x24-hour deadline (UU 27/2022) has "
        "passed as escalated and e-mail the administrators (through the worker). A "
        "request is escalated once: running again changes nothing. Run it hourly from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        ids = dsr_escalate_overdue()
        for public_id in ids:
            self.stdout.write(f"escalated {public_id}")
        self.stdout.write(self.style.SUCCESS(f"Escalated {len(ids)} requests."))
