"""Load the administrative action types from ``data/actions.csv``
(sources in ``data/SOURCES.md``).

Takes the model class so the data migration can pass the historical model
and a test fixture the real one. Idempotent: rows are matched on ``code``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
ACTIONS_FILE = DATA_DIR / "actions.csv"


def read_actions() -> list[dict[str, str]]:
    with ACTIONS_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_action_types(action_type_model: Any) -> int:
    rows = read_actions()
    for row in rows:
        minutes = row["bill_expiry_minutes"].strip()
        action_type_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_id": row["name_id"],
                "name_en": row["name_en"],
                "legal_basis": row["legal_basis"],
                "source": row["source"],
                "needs_approval": row["needs_approval"].strip().lower() == "yes",
                "effect": row["effect"],
                "sort_order": int(row["sort_order"]),
                "bill_expiry_minutes": int(minutes) if minutes else None,
                "bill_on_expiry": row["bill_on_expiry"].strip(),
            },
        )
    return len(rows)
