"""Check the audit log from its rows: hashes, tree, signed heads, guard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from simi.audit.signing import load_public_key
from simi.audit.verify import AuditLogBroken, audit_log_verify


class Command(BaseCommand):
    help = (
        "Recompute the whole audit log from its rows and compare: every entry's leaf "
        "hash (content changed?), leaf_index 0..N-1 without gaps (rows deleted or "
        "moved?), every stored Merkle tree node, the log size counter, every signed "
        "tree head (signature, root, consistency with the head before) and the "
        "append-only triggers. Read-only. Exits 0 with a summary when everything "
        "matches; otherwise exits 1 naming the first entry (leaf_index and id) that "
        "does not match and why."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="Rows read per query (default 5000); memory use grows with it.",
        )
        parser.add_argument(
            "--public-key",
            action="append",
            default=[],
            metavar="PEM_FILE",
            help="Also trust this Ed25519 public key for tree heads (an earlier office "
            "key). Repeat for several.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database alias to check (default: default), e.g. a restored copy.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["database"] not in connections:
            raise CommandError(f"--database {options['database']}: no such database alias.")
        extra_keys = {}
        for name in options["public_key"]:
            try:
                key_id, key = load_public_key(Path(name).read_bytes())
            except (OSError, ValueError) as exc:
                raise CommandError(f"--public-key {name}: {exc}") from exc
            extra_keys[key_id] = key
        progress = self.stdout.write if options["verbosity"] >= 1 else None
        try:
            summary = audit_log_verify(
                batch_size=options["batch_size"],
                progress=progress,
                extra_keys=extra_keys,
                using=options["database"],
            )
        except AuditLogBroken as broken:
            raise CommandError(f"Audit log verification failed: {broken}") from broken
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log verified: {summary.entries:,} entries, {summary.nodes:,} tree "
                f"nodes, {summary.heads:,} signed tree heads; root {summary.root_hash.hex()}."
            )
        )
