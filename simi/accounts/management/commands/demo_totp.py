"""Print the current authenticator code of the demo staff accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from simi.accounts.demo import DEMO_TOTP_SECRET
from simi.accounts.mfa import code_at, current_step


class Command(BaseCommand):
    help = (
        "Print the 6-digit code that the demo staff accounts' shared authenticator "
        "shows right now (demo only; refuses to run with SIMI_ENV=production). "
        "Or add the secret to an authenticator app: " + DEMO_TOTP_SECRET
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_totp refuses to run with SIMI_ENV=production.")
        self.stdout.write(code_at(DEMO_TOTP_SECRET, current_step()))
