"""The ways to pay a billing code ("how to pay"), from
``data/payment_methods.json`` (sources in ``data/SOURCES.md``)."""

from django.db import migrations


def load(apps, schema_editor):
    from simi.payments.referencedata import load_payment_methods

    load_payment_methods(apps.get_model("payments", "PaymentMethod"))


def unload(apps, schema_editor):
    from simi.payments.referencedata import unload_payment_methods

    unload_payment_methods(apps.get_model("payments", "PaymentMethod"))


class Migration(migrations.Migration):
    dependencies = [("payments", "0006_payment_methods_and_ntpn")]

    operations = [migrations.RunPython(load, unload)]
