"""Bills issued before fee lines had ``legal_basis_en`` carry the catalogue's
shipped legal basis in English, which the Indonesian bill page showed as is.
Their lines get the Indonesian wording in ``legal_basis`` and the English in
``legal_basis_en``, as new bills have them (catalog 0008 did the same for the
fees). Only the three texts SIMI shipped are changed; amounts, labels and any
other wording stay exactly as issued. Reversible."""

from django.db import migrations

SHIPPED = {
    "PP 45/2024 (PNBP tariffs, in force 18 Dec 2024)": (
        "PP 45/2024 (tarif PNBP, berlaku sejak 18 Desember 2024)"
    ),
    "PP 28/2019 (replaced by PP 45/2024)": "PP 28/2019 (telah diganti dengan PP 45/2024)",
    "Unconfirmed (PP 45/2024 not yet checked)": "Belum dikonfirmasi (PP 45/2024 belum diperiksa)",
}
BACK = {indonesian: english for english, indonesian in SHIPPED.items()}


def _rewrite(apps, change):
    bill_model = apps.get_model("payments", "Bill")
    for bill in bill_model.objects.exclude(lines=[]).iterator():
        lines = [change(dict(line)) for line in bill.lines]
        if lines != bill.lines:
            bill.lines = lines
            bill.save(update_fields=["lines"])


def _forwards_line(line):
    english = line.get("legal_basis", "")
    if english in SHIPPED and not line.get("legal_basis_en"):
        line["legal_basis"] = SHIPPED[english]
        line["legal_basis_en"] = english
    return line


def _backwards_line(line):
    indonesian = line.get("legal_basis", "")
    if indonesian in BACK and line.get("legal_basis_en") == BACK[indonesian]:
        line["legal_basis"] = BACK[indonesian]
        del line["legal_basis_en"]
    return line


def forwards(apps, schema_editor):
    _rewrite(apps, _forwards_line)


def backwards(apps, schema_editor):
    _rewrite(apps, _backwards_line)


class Migration(migrations.Migration):
    dependencies = [("payments", "0007_load_payment_methods")]

    operations = [migrations.RunPython(forwards, backwards)]
