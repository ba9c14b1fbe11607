"""Load the starting schedule of kanim-kotabumi and ulp-liwa (sessions,
quotas, priority walk-in quota, booking window); admins edit it afterwards."""

from django.db import migrations

from simi.appointments.referencedata import load_schedule

MODEL_NAMES = ("BookingSettings", "Session", "SessionHours", "Quota", "PriorityQuota")


def load(apps, schema_editor):
    models = {name: apps.get_model("appointments", name) for name in MODEL_NAMES}
    load_schedule(models, apps.get_model("core", "Office"))


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_initial"),
        ("core", "0002_load_regions_and_offices"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
