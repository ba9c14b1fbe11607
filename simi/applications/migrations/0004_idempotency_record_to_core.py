# The idempotency record now belongs to core (core/migrations/0006); the
# table stays where it is, so only Django's model state changes here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_guided_details"),
        ("core", "0006_idempotency_record"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="IdempotencyRecord")],
        ),
    ]
