# Person now lives in the people app (people/migrations/0001); every foreign
# key to it was moved first, so only Django's state forgets it here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_idempotency_record"),
        ("accounts", "0004_person_moved_to_people"),
        ("applications", "0005_person_moved_to_people"),
        ("issuance", "0002_person_moved_to_people"),
        ("oversight", "0003_person_moved_to_people"),
        ("privacy", "0003_person_moved_to_people"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="Person")],
        ),
    ]
