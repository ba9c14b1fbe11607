"""Charges from data (``simi/oversight/data/charges.csv``, sources in ``data/SOURCES.md``).

The overstay rate and the escalation threshold are regulation, so they are
data: a new tariff is a new row with its ``effective_from``, never a code change.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

# The data folder is the app's (simi/oversight/data), next to its SOURCES.md.
CHARGES_FILE = Path(__file__).resolve().parent.parent / "data" / "charges.csv"


@dataclass(frozen=True)
class Charge:
    code: str
    amount_per_day: int
    escalation_after_days: int
    effective_from: date
    effective_until: date | None
    legal_basis: str

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )


@cache
def _charges() -> tuple[Charge, ...]:
    with CHARGES_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Charge(
                code=row["code"],
                amount_per_day=int(row["amount_per_day"]),
                escalation_after_days=int(row["escalation_after_days"]),
                effective_from=date.fromisoformat(row["effective_from"]),
                effective_until=(
                    date.fromisoformat(row["effective_until"]) if row["effective_until"] else None
                ),
                legal_basis=row["legal_basis"],
            )
            for row in csv.DictReader(handle)
        )


def charge_in_force(code: str, day: date) -> Charge:
    """The row for ``code`` on ``day``; before the first row, the first row
    (an overstay that began earlier is charged at the oldest known rate)."""
    rows = sorted((c for c in _charges() if c.code == code), key=lambda c: c.effective_from)
    if not rows:
        raise LookupError(f"No charge {code!r} in {CHARGES_FILE.name}.")
    for row in reversed(rows):
        if row.in_force(day):
            return row
    return rows[0]
