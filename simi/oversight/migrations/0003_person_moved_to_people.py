# The identity record moved from core to people; only Django's state changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0002_devices_sightings"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="foreigner",
                    name="person",
                    field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='foreigner', to='people.person', verbose_name='person'),
                ),
            ],
        ),
    ]
