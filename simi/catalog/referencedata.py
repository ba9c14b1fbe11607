"""Load the shipped catalogue from ``simi/catalog/data`` (sources in SOURCES.md).

Takes the model classes so the data migration can pass historical models and
the test fixture the real ones. Idempotent: rows are matched on their natural
keys and refreshed, so running it twice changes nothing. After the migration
the catalogue belongs to the administrators; this never runs again on its own.
"""

from __future__ import annotations

import csv
from collections.abc import Collection
from datetime import date
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _yes(value: str) -> bool:
    return value.strip().lower() == "yes"


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _has_field(model: Any, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def _codes(value: str) -> list[str]:
    # Several services share one document or rule; the CSV lists their codes.
    return value.split()


def load_catalogue(
    models: dict[str, Any], office_model: Any, *, only: Collection[str] | None = None
) -> None:
    """``models`` maps ServiceType, Fee, RequiredDocument, SlaRule, BillingRule
    to their classes. ``only``: load just these service codes (a later data
    migration adding services must not refresh rows administrators own)."""
    service_model = models["ServiceType"]
    offices = {office.code: office for office in office_model.objects.all()}
    services: dict[str, Any] = {}

    def wanted(codes: list[str]) -> list[str]:
        return [code for code in codes if only is None or code in only]

    for row in read_csv("services.csv"):
        if not wanted([row["code"]]):
            continue
        service, _ = service_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "applicant_category": row["applicant_category"],
                "display_order": int(row["display_order"]),
                "name_id": row["name_id"],
                "name_en": row["name_en"],
                "description_id": row["description_id"],
                "description_en": row["description_en"],
                "legal_basis": row["legal_basis"],
                "source": row["source"],
            },
        )
        # An office missing here (e.g. switched off by an admin) is skipped, not invented.
        service.offices.set([offices[c] for c in _codes(row["offices"]) if c in offices])
        services[service.code] = service

    for row in read_csv("fees.csv"):
        if not wanted([row["service_code"]]):
            continue
        models["Fee"].objects.update_or_create(
            service_type=services[row["service_code"]],
            component=row["component"],
            valid_from=_date(row["valid_from"]),
            defaults={
                "label_id": row["label_id"],
                "label_en": row["label_en"],
                "amount": int(row["amount"]),
                "valid_to": _date(row["valid_to"]),
                "legal_basis": row["legal_basis"],
                # Not in the historical model of migrations before 0008.
                **(
                    {"legal_basis_en": row.get("legal_basis_en", "")}
                    if _has_field(models["Fee"], "legal_basis_en")
                    else {}
                ),
                "source": row["source"],
                "note": row["note"],
                "is_confirmed": _yes(row["is_confirmed"]),
            },
        )

    for row in read_csv("documents.csv"):
        for code in wanted(_codes(row["service_codes"])):
            models["RequiredDocument"].objects.update_or_create(
                service_type=services[code],
                code=row["code"],
                defaults={
                    "display_order": int(row["display_order"]),
                    "is_mandatory": _yes(row["is_mandatory"]),
                    "name_id": row["name_id"],
                    "name_en": row["name_en"],
                    "description_id": row["description_id"],
                    "description_en": row["description_en"],
                    "condition_id": row["condition_id"],
                    "condition_en": row["condition_en"],
                    "is_confirmed": _yes(row["is_confirmed"]),
                    "source": row["source"],
                },
            )

    for row in read_csv("sla.csv"):
        for code in wanted(_codes(row["service_codes"])):
            models["SlaRule"].objects.update_or_create(
                service_type=services[code],
                valid_from=_date(row["valid_from"]),
                defaults={
                    "working_days": int(row["working_days"]),
                    "valid_to": _date(row["valid_to"]),
                    "legal_basis": row["legal_basis"],
                    "source": row["source"],
                    "note": row["note"],
                    "is_confirmed": _yes(row["is_confirmed"]),
                },
            )

    for row in read_csv("billing.csv"):
        for code in wanted(_codes(row["service_codes"])):
            models["BillingRule"].objects.update_or_create(
                service_type=services[code],
                defaults={
                    "expiry_minutes": int(row["expiry_minutes"]),
                    "on_expiry": row["on_expiry"],
                    "legal_basis": row["legal_basis"],
                    "source": row["source"],
                    "note": row["note"],
                    "is_confirmed": _yes(row["is_confirmed"]),
                },
            )

    # Historical models before catalog 0004 have no such fields; 0005 loads them.
    if any(field.name == "issued_kind" for field in service_model._meta.get_fields()):
        load_issued_kinds(service_model, only=only)


def load_issued_kinds(service_model: Any, *, only: Collection[str] | None = None) -> None:
    """What each service issues and for how long (``issued.csv``)."""
    for row in read_csv("issued.csv"):
        for code in _codes(row["service_codes"]):
            if only is not None and code not in only:
                continue
            service_model.objects.filter(code=code).update(
                issued_kind=row["document_kind"],
                issued_validity=row["validity"],
                issued_basis=row["legal_basis"],
            )


MODEL_NAMES = ("ServiceType", "Fee", "RequiredDocument", "SlaRule", "BillingRule")


def unload_catalogue(models: dict[str, Any]) -> None:
    """Reverse of the data migration: every catalogue row goes (children first)."""
    for name in ("BillingRule", "SlaRule", "RequiredDocument", "Fee", "ServiceType"):
        models[name].objects.all().delete()


def unload_services(models: dict[str, Any], codes: Collection[str]) -> None:
    """Reverse of a data migration that added ``codes``: those services go
    with their fees, documents, standards and billing rules."""
    for name in ("BillingRule", "SlaRule", "RequiredDocument", "Fee"):
        models[name].objects.filter(service_type__code__in=codes).delete()
    models["ServiceType"].objects.filter(code__in=codes).delete()


def current_models() -> dict[str, Any]:
    """The live model classes by name, for callers outside migrations."""
    from simi.catalog.models import BillingRule, Fee, RequiredDocument, ServiceType, SlaRule

    return {
        "ServiceType": ServiceType,
        "Fee": Fee,
        "RequiredDocument": RequiredDocument,
        "SlaRule": SlaRule,
        "BillingRule": BillingRule,
    }
