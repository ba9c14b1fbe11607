"""Until the catalogue and the register shared one vocabulary of kinds, the
workflow registered an SPLP (travel document in lieu of a passport) as a
passport without an MRZ. Register those as travel documents.

Only the register's kind and its number index (a blind index over kind and
number) change. The seal printed on the document keeps verifying: it is
compared with the sealed bytes the register stored, which stay as they were;
the verifier's answer names the register's kind. The timeline event and the
audit entry of the issuance stay as they were written.
"""

from django.db import migrations

SPLP = "travel_document"
PASSPORT = "passport"


def _rekind(apps, *, old: str, new: str) -> None:
    from simi.issuance.services import number_index

    Application = apps.get_model("applications", "Application")
    IssuedDocument = apps.get_model("issuance", "IssuedDocument")
    issued = Application.objects.filter(
        service_type__issued_kind=SPLP,
        issued_document__kind=old,
        issued_document__mrz_line1__isnull=True,
    ).values_list("issued_document_id", flat=True)
    for document in IssuedDocument.objects.filter(pk__in=list(issued)):
        document.kind = new
        document.number_index = number_index(new, document.number)
        document.save(update_fields=["kind", "number_index", "updated_at"])


def forwards(apps, schema_editor):
    _rekind(apps, old=PASSPORT, new=SPLP)


def backwards(apps, schema_editor):
    _rekind(apps, old=SPLP, new=PASSPORT)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_person_moved_to_people"),
        ("catalog", "0006_issued_kind_shared_vocabulary"),
        ("issuance", "0003_kind_travel_document"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
