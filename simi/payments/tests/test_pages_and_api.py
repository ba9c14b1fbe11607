"""What payers and staff see: my bills (page and API), the office's bills."""

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from simi.payments.models import Bill

pytestmark = pytest.mark.django_db


def test_my_bills_page_shows_code_amount_expiry_and_how_to_pay(bill, ani, client_for):
    response = client_for(ani).get("/pembayaran/")
    assert response.status_code == 200
    html = response.content.decode()
    assert bill.billing_code_display in html
    assert "Rp350.000" in html
    # the expiry is shown in Western Indonesian Time
    with translation.override("id"):
        shown = date_format(timezone.localtime(bill.expires_at), "DATETIME_FORMAT")
    assert shown in html
    assert "WIB" in html


def test_the_bill_page_lists_its_fee_components(bill, ani, client_for):
    response = client_for(ani).get(f"/pembayaran/{bill.public_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert bill.billing_code_display in html
    for line in bill.lines:
        assert line["legal_basis"] in html


def test_someone_elses_bill_page_answers_404(bill, budi, client_for):
    assert client_for(budi).get(f"/pembayaran/{bill.public_id}/").status_code == 404
    assert bill.billing_code_display not in client_for(budi).get("/pembayaran/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(bill):
    assert Client().get("/pembayaran/").status_code == 302


def test_the_api_lists_my_bills_paginated(bill, awaiting, ani, client_for):
    response = client_for(ani).get("/api/v1/bills?limit=10")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["billing_code"] == bill.billing_code
    assert item["billing_code_display"] == bill.billing_code_display
    assert item["amount"] == 350_000
    assert item["status"] == "unpaid"
    assert item["tracking_code"] == awaiting.tracking_code_display
    assert sum(line["amount"] for line in item["lines"]) == 350_000


def test_the_api_gives_one_of_my_bills_and_404_for_anyone_elses(bill, ani, budi, client_for):
    url = f"/api/v1/bills/{bill.public_id}"
    assert client_for(ani).get(url).json()["id"] == str(bill.public_id)
    assert client_for(budi).get(url).status_code == 404
    assert client_for(budi).get("/api/v1/bills").json()["count"] == 0
    assert Client().get(url).status_code == 401


def test_staff_of_the_office_see_its_bills_and_filter_by_status(bill, supervisor, client_for):
    client = client_for(supervisor)
    page = client.get("/kantor/pembayaran/")
    assert page.status_code == 200
    assert bill.billing_code_display in page.content.decode()
    assert (
        bill.billing_code_display
        in client.get("/kantor/pembayaran/?status=unpaid").content.decode()
    )
    paid_only = client.get("/kantor/pembayaran/?status=paid").content.decode()
    assert bill.billing_code_display not in paid_only
    # a nonsense filter shows everything rather than failing
    assert client.get("/kantor/pembayaran/?status=%00x").status_code in (200, 400)


def test_the_service_point_officer_sees_its_bills(bill, officer, client_for):
    assert (
        bill.billing_code_display in client_for(officer).get("/kantor/pembayaran/").content.decode()
    )


def test_an_outsider_sees_nothing_of_kotabumis_bills(bill, outsider, client_for):
    page = client_for(outsider).get("/kantor/pembayaran/")
    assert page.status_code == 200
    assert bill.billing_code_display not in page.content.decode()
    from simi.payments.selectors import bills_for_office

    assert not bills_for_office(actor=outsider).exists()


def test_applicants_cannot_open_the_back_office_list(bill, ani, client_for):
    assert client_for(ani).get("/kantor/pembayaran/").status_code == 403


def test_the_back_office_list_pages(bill, supervisor, client_for):
    # given 25 more (cancelled) bills of the office: 26 in all
    Bill.objects.bulk_create(
        Bill(
            billing_code=str(10**14 + n),
            purpose=bill.purpose,
            reference=bill.reference,
            office=bill.office,
            amount=1000,
            status=Bill.Status.CANCELLED,
            issued_at=bill.issued_at,
            expires_at=bill.expires_at,
            closed_at=bill.issued_at,
        )
        for n in range(25)
    )
    client = client_for(supervisor)
    # then the list shows 20 a page
    first = client.get("/kantor/pembayaran/").content.decode()
    second = client.get("/kantor/pembayaran/?page=2").content.decode()
    assert first.count("<tr>") == 1 + 20
    assert second.count("<tr>") == 1 + 6


def test_the_pages_say_what_each_bill_is_for(bill, awaiting, ani, supervisor, client_for):
    # given Ani reads in English
    client = client_for(ani)
    client.cookies["django_language"] = "en"
    service = awaiting.service_type
    # then her list and the bill's page name the service and the tracking code
    for url in ("/pembayaran/", f"/pembayaran/{bill.public_id}/"):
        html = client.get(url).content.decode()
        assert f"{service.name_en or service.name_id} ({awaiting.tracking_code_display})" in html
    # and the office's list leads with the tracking code
    office = client_for(supervisor).get("/kantor/pembayaran/").content.decode()
    assert f"{awaiting.tracking_code_display} — {service.name_id}" in office


def test_the_api_names_the_application_an_application_fee_is_for(bill, awaiting, ani, client_for):
    item = client_for(ani).get(f"/api/v1/bills/{bill.public_id}").json()
    assert item["purpose"] == "application"
    assert item["application_id"] == str(awaiting.public_id)
    assert item["tracking_code"] == awaiting.tracking_code_display
