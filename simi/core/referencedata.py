"""Readers for the reference data shipped in ``simi/core/data`` (sources in SOURCES.md)."""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from simi.core.openinghours import parse_hours

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


REGION_SOURCE = "Kepmendagri region codes via cahyadsn/wilayah (MIT); see simi/core/data/SOURCES.md"


def load_regions_and_offices(region_model: Any, office_model: Any) -> None:
    """Create or refresh Lampung Barat's regions and the offices serving it.

    Takes the model classes so the data migration can pass historical models.
    """
    by_code: dict[str, Any] = {}
    for row in read_csv("lampung-barat-regions.csv"):  # parents come before children
        region, _ = region_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "level": row["level"],
                "name": row["name"],
                "parent": by_code.get(row["parent_code"]) if row["parent_code"] else None,
                "lat": Decimal(row["lat"]) if row["lat"] else None,
                "lng": Decimal(row["lng"]) if row["lng"] else None,
                "source": REGION_SOURCE,
            },
        )
        by_code[region.code] = region
    # Migrations before core 0009 pass an Office without opening hours.
    has_hours = any(f.name == "opening_hours" for f in office_model._meta.get_fields())
    offices: dict[str, Any] = {}
    for row in read_csv("offices.csv"):
        defaults = {
            "name": row["name"],
            "kind": row["kind"],
            "parent": offices.get(row["parent_code"]) if row["parent_code"] else None,
            "region": by_code.get(row["region_code"]),
            "address": row["address"],
            "source": row["source"],
        }
        if has_hours:
            defaults["opening_hours"] = parse_hours(row["opening_hours"])
        office, _ = office_model.objects.update_or_create(code=row["code"], defaults=defaults)
        offices[office.code] = office


def load_opening_hours(office_model: Any) -> None:
    """Fill the opening hours of the offices in ``offices.csv`` that have none
    yet (hours an administrator already entered are kept)."""
    for row in read_csv("offices.csv"):
        office = office_model.objects.filter(code=row["code"]).first()
        if office is not None and not office.opening_hours:
            office.opening_hours = parse_hours(row["opening_hours"])
            office.save(update_fields=["opening_hours"])


@cache
def province_codes() -> frozenset[str]:
    return frozenset(row["code"] for row in read_csv("province_codes.csv"))
