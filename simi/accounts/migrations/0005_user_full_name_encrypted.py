# The account's full name is encrypted like every other name SIMI holds
# (issue 12, finding 9). Schema first: the ciphertext is longer than 150
# characters, so the column becomes text; 0006 encrypts the rows.

from django.db import migrations, models

import simi.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_person_moved_to_people"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="full_name",
            field=simi.core.fields.EncryptedTextField(verbose_name="full name"),
        ),
    ]
