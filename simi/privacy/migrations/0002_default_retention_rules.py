"""Load the default retention rules (data; edited in the admin afterwards)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "retention_rules.csv"


def load(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            RetentionRule.objects.get_or_create(
                record_type=row["record_type"],
                defaults={
                    "retain_days": int(row["retain_days"]),
                    "legal_basis": row["legal_basis"],
                    "source": row["source"],
                },
            )


def unload(apps, schema_editor):
    apps.get_model("privacy", "RetentionRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
