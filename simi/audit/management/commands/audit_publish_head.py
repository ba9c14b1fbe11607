"""Sign the audit log's current tree head."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from simi.audit.selectors import tree_head_as_dict
from simi.audit.services import tree_head_publish
from simi.audit.signing import public_key_pem


class Command(BaseCommand):
    help = (
        "Sign the audit log's current size and Merkle root with the office signing key "
        "and store it as a tree head. Safe to run as often as you like (from cron, say "
        "every 10 minutes): when nothing was appended since the last head, that head is "
        "printed again. Prints the head as JSON; hand it to whoever keeps an outside copy."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--public-key",
            action="store_true",
            help="Also print the office public key (PEM) that verifies the signature.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        head = tree_head_publish()
        self.stdout.write(json.dumps(tree_head_as_dict(head), indent=2))
        if options["public_key"]:
            self.stdout.write(public_key_pem())
