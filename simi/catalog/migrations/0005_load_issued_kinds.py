"""Fill in what each shipped service issues and for how long (issued.csv)."""

from django.db import migrations

from simi.catalog.referencedata import load_issued_kinds


def load(apps, schema_editor):
    load_issued_kinds(apps.get_model("catalog", "ServiceType"))


def unload(apps, schema_editor):
    apps.get_model("catalog", "ServiceType").objects.update(
        issued_kind="", issued_validity="", issued_basis=""
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_issued_documents")]

    operations = [migrations.RunPython(load, unload)]
