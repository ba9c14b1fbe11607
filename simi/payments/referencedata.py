"""Load the payment methods ("how to pay") from ``data/payment_methods.json``
(sources in ``data/SOURCES.md``).

Takes the model class so the data migration can pass the historical model
and a test fixture the real one. Idempotent: rows are matched on ``code``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
METHODS_FILE = DATA_DIR / "payment_methods.json"


def read_methods() -> tuple[str, list[dict[str, Any]]]:
    """The file's source line and its methods, in file order."""
    data = json.loads(METHODS_FILE.read_text(encoding="utf-8"))
    return str(data["source"]), list(data["methods"])


def load_payment_methods(method_model: Any) -> int:
    source, methods = read_methods()
    for row in methods:
        method_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "sort_order": int(row["sort_order"]),
                "name_id": row["name_id"],
                "name_en": row["name_en"],
                "steps_id": "\n".join(row["steps_id"]),
                "steps_en": "\n".join(row["steps_en"]),
                "source": row.get("source", source),
                "is_active": True,
            },
        )
    return len(methods)


def unload_payment_methods(method_model: Any) -> None:
    _source, methods = read_methods()
    method_model.objects.filter(code__in=[row["code"] for row in methods]).delete()
