"""The move from a foreign key to applications to an owner reference keeps
every existing bill's owner, both ways."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from simi.payments import billingcodes

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("payments", "0002_bill_overstay_charge")
AFTER = ("payments", "0005_bill_owner_reference")


def migrate(target: tuple[str, str]):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_it_moves_the_owner_of_existing_bills_into_the_reference_and_back(submitted):
    try:
        # given an application-fee bill and an overstay-charge bill made
        # while bills still pointed at their application
        old = migrate(BEFORE)
        Bill = old.get_model("payments", "Bill")
        now = timezone.now()
        common = {
            "office_id": submitted.office_id,
            "payer_id": submitted.applicant_id,
            "amount": 350_000,
            "status": "unpaid",
            "issued_at": now,
            "expires_at": now + timedelta(hours=2),
        }
        fee = Bill.objects.create(
            billing_code=billingcodes.generate(),
            purpose="application",
            application_id=submitted.pk,
            **common,
        )
        charge = Bill.objects.create(
            billing_code=billingcodes.generate(),
            purpose="overstay_charge",
            reference="case-public-id",
            **common,
        )
        # when the migrations run
        new = migrate(AFTER)
        Bill = new.get_model("payments", "Bill")
        # then the fee names its application by public id, tracking code and service
        fee = Bill.objects.get(pk=fee.pk)
        assert (fee.purpose, fee.reference) == ("application", str(submitted.public_id))
        assert fee.owner_code == submitted.tracking_code_display
        assert fee.owner_label_id == submitted.service_type.name_id
        assert fee.owner_label_en == submitted.service_type.name_en
        # and the charge keeps its reference
        assert Bill.objects.get(pk=charge.pk).reference == "case-public-id"
        # and when they are reversed, the fee points at its application again
        old = migrate(BEFORE)
        Bill = old.get_model("payments", "Bill")
        fee = Bill.objects.get(pk=fee.pk)
        assert (fee.application_id, fee.reference) == (submitted.pk, None)
        assert Bill.objects.get(pk=charge.pk).reference == "case-public-id"
    finally:
        migrate_to_latest()


def test_bills_issued_with_the_english_legal_basis_get_both_languages(bill, ani, client_for):
    lines_before = [
        {
            "component": "",
            "label_id": "Biaya paspor",
            "label_en": "Passport fee",
            "amount": 350_000,
            "legal_basis": "PP 45/2024 (PNBP tariffs, in force 18 Dec 2024)",
        }
    ]
    try:
        # given a bill issued before lines had legal_basis_en
        old = migrate(("payments", "0007_load_payment_methods"))
        old.get_model("payments", "Bill").objects.filter(pk=bill.pk).update(lines=lines_before)
        # when the migration runs
        migrate(("payments", "0008_bill_lines_legal_basis_languages"))
        # then the Indonesian page shows the Indonesian wording, the amount unchanged
        html = client_for(ani).get(f"/pembayaran/{bill.public_id}/").content.decode()
        assert "PP 45/2024 (tarif PNBP, berlaku sejak 18 Desember 2024)" in html
        assert "PNBP tariffs" not in html
        # and reversed, the line is as it was issued
        reverted = migrate(("payments", "0007_load_payment_methods"))
        assert reverted.get_model("payments", "Bill").objects.get(pk=bill.pk).lines == lines_before
    finally:
        migrate_to_latest()
