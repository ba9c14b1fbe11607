"""How long an applicant has to send the documents an officer asks for:
data (``data/documents_deadline.csv``, sources in ``data/SOURCES.md``)."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "documents_deadline.csv"


@dataclass(frozen=True)
class DocumentsDeadline:
    min_working_days: int
    max_working_days: int
    default_working_days: int
    legal_basis: str
    source: str


@functools.cache
def documents_deadline() -> DocumentsDeadline:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    rule = DocumentsDeadline(
        min_working_days=int(row["min_working_days"]),
        max_working_days=int(row["max_working_days"]),
        default_working_days=int(row["default_working_days"]),
        legal_basis=row["legal_basis"],
        source=row["source"],
    )
    if not rule.min_working_days <= rule.default_working_days <= rule.max_working_days:
        raise ValueError("documents_deadline.csv: the default lies outside the range")
    return rule
