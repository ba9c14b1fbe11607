"""Channels in the admin: the secret is write-only and the change audited."""

import pytest

from simi.audit.models import AuditEntry
from simi.payments.models import PaymentChannel

pytestmark = pytest.mark.django_db


def test_an_admin_adds_a_channel_without_ever_seeing_its_secret(admin_user, client_for):
    client = client_for(admin_user)
    secret = "s" * 40
    response = client.post(
        "/admin/payments/paymentchannel/add/",
        {"code": "bank-lampung", "name": "Bank Lampung", "is_active": "on", "new_secret": secret},
    )
    assert response.status_code == 302, response.content[:500]
    channel = PaymentChannel.objects.get(code="bank-lampung")
    assert channel.secret == secret
    page = client.get(f"/admin/payments/paymentchannel/{channel.pk}/change/").content.decode()
    assert secret not in page
    assert AuditEntry.objects.filter(action="payments.channel_created").exists()


def test_bills_are_read_only_in_the_admin(bill, admin_user, client_for):
    client = client_for(admin_user)
    assert client.get("/admin/payments/bill/").status_code == 200
    assert client.get("/admin/payments/bill/add/").status_code == 403


def test_an_admin_edits_how_to_pay_and_payers_read_it(
    bill, ani, admin_user, client_for, payment_methods
):
    from simi.payments.models import PaymentMethod

    # given the shipped ATM steps
    atm = PaymentMethod.objects.get(code="atm")
    # when an administrator rewrites its Indonesian steps in the admin
    response = client_for(admin_user).post(
        f"/admin/payments/paymentmethod/{atm.pk}/change/",
        {
            "sort_order": atm.sort_order,
            "is_active": "on",
            "name_id": atm.name_id,
            "name_en": atm.name_en,
            "steps_id": "Langkah satu yang baru\nLangkah dua yang baru",
            "steps_en": atm.steps_en,
            "source": atm.source,
        },
    )
    assert response.status_code == 302, response.content[:500]
    # then the change is audited and the bill page shows the new steps in order
    assert AuditEntry.objects.filter(action="payments.payment_method_changed").count() == 1
    html = client_for(ani).get(f"/pembayaran/{bill.public_id}/").content.decode()
    assert "<li>Langkah satu yang baru</li><li>Langkah dua yang baru</li>" in html
