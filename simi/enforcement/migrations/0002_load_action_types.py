"""The administrative action types of UU 6/2011 Art. 75(2) and Art. 78,
from ``data/actions.csv`` (sources in ``data/SOURCES.md``)."""

from django.db import migrations


def load(apps, schema_editor):
    from simi.enforcement.referencedata import load_action_types

    load_action_types(apps.get_model("enforcement", "ActionType"))


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
