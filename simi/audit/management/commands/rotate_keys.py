"""Rotate the data-encryption key and re-encrypt every row to it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simi.audit.codes import Action
from simi.audit.services import audit_record
from simi.core.keyrotation import encrypted_columns, rotate_all, stale_count
from simi.core.keys import data_keyring, save_data_keyring


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column (personal data) with the active key of the "
        "key ring, in batches, with progress. Safe while SIMI runs and resumable: run it "
        "again after an interruption. With --new-key, first add a fresh key to a "
        "file-based key ring and make it active. --check only counts rows on old keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--new-key", action="store_true", help="Add a new key and make it active first."
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Rows per transaction (default 500)."
        )
        parser.add_argument(
            "--check", action="store_true", help="Only report rows still on older keys."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["batch_size"] <= 10_000:
            raise CommandError("--batch-size must be between 1 and 10000.")
        if options["check"]:
            stale = {m._meta.label: stale_count(m, f) for m, f in encrypted_columns().items()}
            for label, count in stale.items():
                self.stdout.write(f"{label}: {count} rows on older keys")
            if any(stale.values()):
                raise CommandError("Some rows are still encrypted with older keys.")
            return
        if options["new_key"]:
            ring = data_keyring().with_new_key()
            path = save_data_keyring(ring)
            self.stdout.write(f"New active key {ring.active_id} written to {path}")
        active = data_keyring().active_id
        self.stdout.write(f"Re-encrypting to key {active} ...")

        def progress(label: str, done: int, total: int) -> None:
            self.stdout.write(f"  {label}: {done}/{total}")

        done = rotate_all(batch_size=options["batch_size"], progress=progress)
        audit_record(actor=None, action=Action.KEYS_ROTATED, data={"active": active, "rows": done})
        self.stdout.write(
            self.style.SUCCESS(f"Done: {sum(done.values())} rows now on key {active}.")
        )
