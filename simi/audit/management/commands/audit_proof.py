"""Print a Merkle proof for an outside verifier, as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simi.audit.selectors import entry_inclusion_proof, tree_heads_consistency_proof
from simi.core.errors import NotFound


class Command(BaseCommand):
    help = (
        "Print, as JSON, a proof an outside party can check with the office public key "
        "(see docs/audit-log.md). --leaf-index N: entry N is in the latest signed tree "
        "head. --from-size A --to-size B: the signed head of size B extends the one of "
        "size A (nothing was removed or rewritten in between). Proofs hold hashes only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--leaf-index", type=int, help="Inclusion proof for this entry.")
        parser.add_argument("--from-size", type=int, help="Consistency proof from this head...")
        parser.add_argument("--to-size", type=int, help="...to this head.")

    def handle(self, *args: Any, **options: Any) -> None:
        leaf_index, old, new = options["leaf_index"], options["from_size"], options["to_size"]
        try:
            if leaf_index is not None and old is None and new is None:
                proof = entry_inclusion_proof(leaf_index=leaf_index).as_dict()
            elif leaf_index is None and old is not None and new is not None:
                proof = tree_heads_consistency_proof(old_size=old, new_size=new).as_dict()
            else:
                raise CommandError("Give either --leaf-index, or --from-size and --to-size.")
        except NotFound:
            raise CommandError(
                "No such proof: the entry is not yet covered by a signed tree head "
                "(run audit_publish_head), or no head was signed at those sizes."
            ) from None
        self.stdout.write(json.dumps(proof, indent=2))
