"""Add the ITAS extensions to the catalogue (data/*.csv, SOURCES.md).

Only these services are loaded: the rest of the catalogue belongs to the
administrators since 0003 and is not refreshed. Reversible: the reverse
removes the three services with their fees, documents, standards and
billing rules.
"""

from django.db import migrations

from simi.catalog.referencedata import MODEL_NAMES, load_catalogue, unload_services

ITAS_EXTENSIONS = ("itas-extension-6m", "itas-extension-1y", "itas-extension-2y")


def _models(apps):
    return {name: apps.get_model("catalog", name) for name in MODEL_NAMES}


def load(apps, schema_editor):
    load_catalogue(_models(apps), apps.get_model("core", "Office"), only=ITAS_EXTENSIONS)


def unload(apps, schema_editor):
    unload_services(_models(apps), ITAS_EXTENSIONS)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_issued_kind_shared_vocabulary")]

    operations = [migrations.RunPython(load, unload)]
