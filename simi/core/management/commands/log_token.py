"""Print how the logs show a value (a tracking code, a token) that was in a path."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from simi.core.logs import log_token


class Command(BaseCommand):
    help = (
        "Print the token the access log writes in place of a value that was in a "
        "request's path (a tracking, billing or booking code, a link's token), so "
        "you can find that value's requests in the logs. Needs the deployment's "
        "index key (SIMI_INDEX_KEY); the value itself is never logged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("value", nargs="+", help="the value exactly as it was in the path")

    def handle(self, *args: Any, **options: Any) -> None:
        for value in options["value"]:
            self.stdout.write(f"{log_token(value)}  {value}")
