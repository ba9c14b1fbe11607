"""Load the service catalogue (PP 45/2024 fees, documents, SLAs, billing rules)."""

from django.db import migrations

from simi.catalog.referencedata import MODEL_NAMES, load_catalogue, unload_catalogue


def _models(apps):
    return {name: apps.get_model("catalog", name) for name in MODEL_NAMES}


def load(apps, schema_editor):
    load_catalogue(_models(apps), apps.get_model("core", "Office"))


def unload(apps, schema_editor):
    unload_catalogue(_models(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_no_overlapping_periods_postgres"),
        ("core", "0002_load_regions_and_offices"),
    ]

    operations = [migrations.RunPython(load, unload)]
