"""Load Lampung Barat's regions and the offices serving it (reference data)."""

from django.db import migrations

from simi.core.referencedata import load_regions_and_offices


def load(apps, schema_editor):
    load_regions_and_offices(apps.get_model("core", "Region"), apps.get_model("core", "Office"))


def unload(apps, schema_editor):
    Office = apps.get_model("core", "Office")
    Office.objects.filter(kind="service_point").delete()
    Office.objects.all().delete()
    Region = apps.get_model("core", "Region")
    for level in ("village", "district", "regency", "province"):
        Region.objects.filter(level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
