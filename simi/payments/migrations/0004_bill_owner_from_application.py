"""Fill the owner of every application-fee bill from its foreign key: the
reference is the application's public id, the owner code its tracking code
as shown (XXXX-XXXX-XXXX-XX), the label the service's name. Reversible: the
way back sets the foreign key from the reference and empties them again."""

from django.db import migrations

BATCH = 500


def _tracking_display(code: str | None) -> str:
    # As simi.core.trackingcodes.display() showed it when this was written.
    if not code:
        return ""
    return "-".join([code[0:4], code[4:8], code[8:12], code[12:]])


def owner_from_application(apps, schema_editor):
    Bill = apps.get_model("payments", "Bill")
    bills = (
        Bill.objects.filter(purpose="application", application__isnull=False)
        .select_related("application__service_type")
        .order_by("pk")
    )
    changed = []
    for bill in bills.iterator(chunk_size=BATCH):
        application = bill.application
        service = application.service_type
        bill.reference = str(application.public_id)
        bill.owner_code = _tracking_display(application.tracking_code)
        bill.owner_label_id = service.name_id
        bill.owner_label_en = service.name_en
        changed.append(bill)
        if len(changed) >= BATCH:
            Bill.objects.bulk_update(changed, FIELDS)
            changed = []
    if changed:
        Bill.objects.bulk_update(changed, FIELDS)


def application_from_owner(apps, schema_editor):
    Bill = apps.get_model("payments", "Bill")
    Application = apps.get_model("applications", "Application")
    bills = Bill.objects.filter(purpose="application").order_by("pk")
    changed = []
    for bill in bills.iterator(chunk_size=BATCH):
        bill.application = Application.objects.get(public_id=bill.reference)
        bill.reference = None
        bill.owner_code = bill.owner_label_id = bill.owner_label_en = ""
        changed.append(bill)
        if len(changed) >= BATCH:
            Bill.objects.bulk_update(changed, ["application", *FIELDS])
            changed = []
    if changed:
        Bill.objects.bulk_update(changed, ["application", *FIELDS])


FIELDS = ["reference", "owner_code", "owner_label_id", "owner_label_en"]


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0003_bill_owner_label"),
        ("applications", "0002_officer_workflow"),
    ]

    operations = [
        migrations.RunPython(owner_from_application, application_from_owner, elidable=False),
    ]
