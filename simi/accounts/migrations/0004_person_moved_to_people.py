# The identity record moved from core to people; only Django's state changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_person"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="user",
                    name="person",
                    field=models.OneToOneField(blank=True, help_text="The applicant's own identity data (encrypted).", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='account', to='people.person', verbose_name='identity record'),
                ),
            ],
        ),
    ]
