"""Paying without confusion: the bill page (code to copy, amount, time left,
the legal basis in the reader's language, the ways to pay), the "Pay"
actions that lead to it, the receipt number after payment, a new bill for an
expired one, and the public list of payment methods."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape

from simi.audit.models import AuditEntry
from simi.payments.models import Bill, PaymentMethod
from simi.payments.referencedata import read_methods
from simi.payments.tests.conftest import notification, post_signed
from simi.payments.tests.test_bills import reissue_on_expiry

pytestmark = pytest.mark.django_db

METHODS_URL = "/api/v1/payment-methods"
NTPN = "0A1B2C3D4E5F6G7H"


def bill_url(bill: Bill) -> str:
    return f"/pembayaran/{bill.public_id}/"


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def past_due(bill: Bill) -> Bill:
    """The bill's two hours are up (the expiry job has not run yet)."""
    now = timezone.now()
    Bill.objects.filter(pk=bill.pk).update(
        issued_at=now - timedelta(hours=3), expires_at=now - timedelta(hours=1)
    )
    bill.refresh_from_db()
    return bill


# --- the bill page -------------------------------------------------------------------


def test_it_shows_the_legal_basis_in_indonesian_on_the_indonesian_page(bill, ani, client_for):
    # when Ani opens her bill in Bahasa Indonesia (the default)
    html = client_for(ani).get(bill_url(bill)).content.decode()
    # then the fee's legal basis is Indonesian, not the English text
    assert "PP 45/2024 (tarif PNBP, berlaku sejak 18 Desember 2024)" in html
    assert "PNBP tariffs" not in html
    assert "Dasar hukum" in html


def test_it_shows_the_legal_basis_in_english_on_the_english_page(bill, ani, client_for):
    html = english(client_for(ani)).get(bill_url(bill)).content.decode()
    assert "PP 45/2024 (PNBP tariffs, in force 18 Dec 2024)" in html
    assert "tarif PNBP" not in html


def test_it_shows_the_code_to_copy_the_amount_and_the_time_to_pay(bill, ani, client_for):
    html = client_for(ani).get(bill_url(bill)).content.decode()
    # the code in groups of five, large, with a copy button carrying the code
    for group in bill.billing_code_display.split():
        assert f'<span class="bill-code-group">{group}</span>' in html
    assert f'data-copy="{bill.billing_code}"' in html
    assert "Salin kode" in html
    assert "payments/js/bill.js" in html
    # the copy button and the countdown wait for the script (hidden without it)
    assert 'class="button button-small bill-copy"' in html
    assert "hidden>" in html
    # the amount, and the expiry as an absolute time with a live countdown
    assert "Rp350.000" in html
    with translation.override("id"):
        shown = date_format(timezone.localtime(bill.expires_at), "DATETIME_FORMAT")
    assert shown in html
    deadline = timezone.localtime(bill.expires_at).isoformat()
    assert f'<time datetime="{deadline}">' in html
    assert f'data-deadline="{deadline}"' in html


def test_it_lists_every_payment_method_with_its_steps_in_both_languages(
    bill, ani, client_for, payment_methods
):
    _source, methods = read_methods()
    indonesian = client_for(ani).get(bill_url(bill)).content.decode()
    in_english = english(client_for(ani)).get(bill_url(bill)).content.decode()
    # each method is an expandable section, in the data's order
    positions = [indonesian.index(f'id="pay-{m["code"]}"') for m in methods]
    assert positions == sorted(positions)
    for method in methods:
        assert f"<summary>{method['name_id']}</summary>" in indonesian
        assert escape(method["steps_id"][0]) in indonesian
        assert f"<summary>{escape(method['name_en'])}</summary>" in in_english
        assert escape(method["steps_en"][0]) in in_english
    assert {m["code"] for m in methods} >= {
        "bank-teller",
        "atm",
        "mobile-banking",
        "internet-banking",
        "edc",
        "post-office",
        "marketplace",
    }


def test_the_shipped_methods_cite_their_source(payment_methods):
    assert PaymentMethod.objects.count() == 7
    assert all("FACTS.md" in m.source for m in PaymentMethod.objects.all())


def test_someone_elses_bill_is_404_on_the_page_and_for_a_new_bill(bill, budi, client_for):
    client = client_for(budi)
    assert client.get(bill_url(bill)).status_code == 404
    past_due(bill)
    assert client.post(f"{bill_url(bill)}tagihan-baru/").status_code == 404
    assert Bill.objects.count() == 1


# --- "Pay" wherever a bill is due ------------------------------------------------------


def test_a_pay_action_leads_to_the_bill_from_every_list(bill, awaiting, ani, client_for):
    client = client_for(ani)
    link = f'class="button button-small pay-action" href="{bill_url(bill)}"'
    # the application's page, the dashboard's rows and its bills, the bills list
    application = client.get(f"/permohonan/{awaiting.public_id}/").content.decode()
    assert link in application
    assert bill.billing_code_display in application
    dashboard = client.get("/permohonan/").content.decode()
    assert dashboard.count(link) == 2  # the application's row and "bills to pay"
    assert link in client.get("/pembayaran/").content.decode()
    assert "Bayar Rp350.000" in application


def test_no_pay_action_once_the_time_is_up(bill, awaiting, ani, client_for):
    past_due(bill)
    client = client_for(ani)
    application = client.get(f"/permohonan/{awaiting.public_id}/").content.decode()
    assert "button button-small pay-action" not in application
    assert "Kode billing sudah kedaluwarsa" in application


# --- after payment ------------------------------------------------------------------


def test_the_receipt_number_shows_after_the_banks_signed_notification(
    bill, awaiting, ani, channel, client_for
):
    # given the demo bank reports the payment with its NTPN
    response = post_signed(Client(), notification(bill, ntpn=NTPN))
    assert response.status_code == 200, response.content
    client = client_for(ani)
    # then the bill page, the application page and the API show it with the time
    page = client.get(bill_url(bill)).content.decode()
    assert NTPN in page
    assert "Nomor tanda terima (NTPN)" in page
    assert "data-copy=" not in page  # nothing left to pay
    application = client.get(f"/permohonan/{awaiting.public_id}/").content.decode()
    assert NTPN in application
    item = client.get(f"/api/v1/bills/{bill.public_id}").json()
    assert item["ntpn"] == NTPN
    assert item["paid_at"] is not None
    assert item["payable"] is False
    assert item["expires_at"]


def test_the_demo_bank_sends_a_receipt_number(bill, ani, client_for):
    from django.core.management import call_command

    call_command("simulate_payment", bill.billing_code)
    ntpn = client_for(ani).get(f"/api/v1/bills/{bill.public_id}").json()["ntpn"]
    assert ntpn
    assert len(ntpn) == 16
    assert ntpn.isalnum()
    assert ntpn.upper() == ntpn


def test_a_malformed_receipt_number_is_refused(bill, channel):
    response = post_signed(Client(), notification(bill, ntpn="not-an-ntpn"))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "ntpn_invalid"
    assert Bill.objects.get(pk=bill.pk).status == Bill.Status.UNPAID


def test_an_unpaid_bill_in_the_api_has_no_receipt_number(bill, ani, client_for):
    item = client_for(ani).get(f"/api/v1/bills/{bill.public_id}").json()
    assert item["ntpn"] is None
    assert item["paid_at"] is None
    assert item["payable"] is True


# --- an expired bill -----------------------------------------------------------------


def test_an_expired_bill_of_a_reissuing_service_offers_a_new_one_once(
    bill, awaiting, ani, client_for
):
    # given a service whose expired bills are reissued, and Ani's time is up
    reissue_on_expiry(awaiting.service_type)
    past_due(bill)
    client = client_for(ani)
    # then the page says so and offers a new bill (a POST form)
    page = client.get(bill_url(bill)).content.decode()
    assert "Kode billing ini sudah kedaluwarsa" in page
    assert f'action="{bill_url(bill)}tagihan-baru/"' in page
    assert "data-copy=" not in page
    # when she asks twice (a double click)
    first = client.post(f"{bill_url(bill)}tagihan-baru/")
    second = client.post(f"{bill_url(bill)}tagihan-baru/")
    # then there is one new bill, same amount, and both answers lead to it
    new = Bill.objects.get(replaces=bill)
    assert Bill.objects.count() == 2
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == bill_url(new)
    assert new.amount == bill.amount
    assert new.is_payable
    assert AuditEntry.objects.filter(action="payments.bill_renewal_requested").count() == 1
    # and the old bill's page now points at the new one
    old_page = client.get(bill_url(bill)).content.decode()
    assert f'href="{bill_url(new)}"' in old_page


def test_an_expired_passport_bill_says_the_application_is_cancelled(
    bill, ani, client_for, handlers
):
    # given the passport rule (FACTS.md: 2 hours, then the application is cancelled)
    past_due(bill)
    client = client_for(ani)
    page = client.get(bill_url(bill)).content.decode()
    assert "Kode billing ini sudah kedaluwarsa" in page
    assert "permohonan yang dibayar dengan tagihan ini dibatalkan" in page
    assert "tagihan-baru/" not in page
    # a POST anyway (an old tab) makes no new bill and hands the bill over
    response = client.post(f"{bill_url(bill)}tagihan-baru/")
    assert response.status_code == 302
    assert Bill.objects.count() == 1
    assert Bill.objects.get(pk=bill.pk).status == Bill.Status.EXPIRED
    assert handlers == [("expired", bill.billing_code)]


def test_a_payable_bill_gets_no_new_code(bill, ani, client_for):
    response = client_for(ani).post(f"{bill_url(bill)}tagihan-baru/")
    assert response.status_code == 409
    assert "masih dapat dibayar" in response.content.decode()
    assert Bill.objects.count() == 1


def test_asking_for_new_bills_is_rate_limited(bill, ani, client_for):
    client = client_for(ani)
    answers = [client.post(f"{bill_url(bill)}tagihan-baru/").status_code for _ in range(11)]
    assert answers[:10] == [409] * 10
    assert answers[10] == 429


# --- the API of payment methods ------------------------------------------------------


def test_the_api_lists_payment_methods_in_both_languages(payment_methods):
    _source, methods = read_methods()
    indonesian = Client().get(METHODS_URL).json()
    in_english = Client().get(METHODS_URL, HTTP_ACCEPT_LANGUAGE="en").json()
    assert [m["code"] for m in indonesian] == [m["code"] for m in methods]
    assert indonesian[1]["name"] == methods[1]["name_id"]
    assert indonesian[1]["steps"] == methods[1]["steps_id"]
    assert in_english[0]["name"] == "Bank teller"
    assert in_english[0]["steps"] == methods[0]["steps_en"]
    assert "FACTS.md" in in_english[0]["source"]


def test_the_payment_methods_api_is_throttled():
    client = Client()
    answers = [client.get(METHODS_URL).status_code for _ in range(61)]
    assert answers[:60] == [200] * 60
    assert answers[60] == 429


def test_an_expired_overstay_charge_does_not_speak_of_an_application(ani, liwa, client_for):
    from simi.payments.services import bill_issue

    # given an overstay charge billed to Ani whose time is up
    charge = bill_issue(
        actor=None,
        purpose=Bill.Purpose.OVERSTAY_CHARGE,
        reference="case-1",
        office=liwa,
        payer=ani,
        amount=1_000_000,
        lines=[
            {
                "component": "",
                "label_id": "Biaya beban",
                "label_en": "Overstay charge",
                "amount": 1_000_000,
                "legal_basis": "UU 6/2011 Pasal 78",
            }
        ],
        valid_for=timedelta(days=7),
    )
    past_due(charge)
    page = client_for(ani).get(bill_url(charge)).content.decode()
    assert "Kode billing ini sudah kedaluwarsa" in page
    assert "Kantor yang menentukan langkah selanjutnya" in page
    assert "permohonan" not in page.split("<main", 1)[1].split("</main>", 1)[0].lower()
