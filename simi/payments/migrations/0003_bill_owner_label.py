from django.db import migrations, models


class Migration(migrations.Migration):
    """A bill's owner becomes data (purpose, reference) instead of a foreign
    key to applications: first the columns that describe the owner, and the
    check that ties an application fee to the foreign key goes (0004 fills the
    reference; 0005 drops the foreign key)."""

    dependencies = [
        ("payments", "0002_bill_overstay_charge"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="bill",
            name="bill_application_has_subject",
        ),
        migrations.AddField(
            model_name="bill",
            name="owner_code",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                help_text="What the payer knows the owner by, e.g. an application's tracking code.",
                max_length=40,
                verbose_name="owner code",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="bill",
            name="owner_label_id",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=300,
                verbose_name="for (Indonesian)",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="bill",
            name="owner_label_en",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                help_text="Empty: the Indonesian text is shown.",
                max_length=300,
                verbose_name="for (English)",
            ),
            preserve_default=False,
        ),
    ]
