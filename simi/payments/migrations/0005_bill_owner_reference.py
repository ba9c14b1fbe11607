from django.db import migrations, models


class Migration(migrations.Migration):
    """Every bill names its owner by (purpose, reference); the foreign key to
    applications goes, and "one unpaid bill per application" becomes "one
    unpaid bill per owner". Reversible: the way back restores a nullable
    foreign key that 0004's reverse fills."""

    dependencies = [
        ("payments", "0004_bill_owner_from_application"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="bill",
            name="bill_one_unpaid_per_application",
        ),
        migrations.RemoveConstraint(
            model_name="bill",
            name="bill_one_unpaid_per_reference",
        ),
        migrations.RemoveConstraint(
            model_name="bill",
            name="bill_charge_has_reference",
        ),
        migrations.RemoveField(
            model_name="bill",
            name="application",
        ),
        migrations.AlterField(
            model_name="bill",
            name="reference",
            field=models.CharField(editable=False, max_length=64, verbose_name="owner reference"),
        ),
        migrations.AddConstraint(
            model_name="bill",
            constraint=models.CheckConstraint(
                condition=models.Q(("reference", ""), _negated=True), name="bill_has_owner"
            ),
        ),
        migrations.AddConstraint(
            model_name="bill",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "unpaid")),
                fields=("purpose", "reference"),
                name="bill_one_unpaid_per_owner",
            ),
        ),
        migrations.AddIndex(
            model_name="bill",
            index=models.Index(
                fields=["purpose", "reference", "-issued_at"], name="bill_owner_recent"
            ),
        ),
    ]
