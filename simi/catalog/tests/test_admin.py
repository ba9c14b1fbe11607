"""The catalogue in the admin: fee changes go through the service."""

import pytest

from simi.audit.models import AuditEntry
from simi.catalog.models import Fee, RequiredDocument
from simi.catalog.selectors import fee_in_force

pytestmark = pytest.mark.django_db

ADD_FEE = "/admin/catalog/fee/add/"


def _fee_form(service_type, valid_from, amount=420_000, **extra):
    return {
        "service_type": service_type.pk,
        "component": "",
        "label_id": "Biaya paspor",
        "label_en": "Passport fee",
        "amount": amount,
        "valid_from": valid_from.isoformat(),
        "legal_basis": "PP 99/2027",
        "source": "Test gazette",
        "note": "",
        "is_confirmed": "on",
        "change_reason": "",
        **extra,
    }


def test_an_admin_adds_a_fee_change_that_closes_the_current_period(
    client_for, admin_user, service, today, days
):
    # given the admin and the 5-year passport
    passport = service("passport-ordinary-5y")
    # when the admin adds a fee from 10 days on in the admin
    response = client_for(admin_user).post(ADD_FEE, _fee_form(passport, days(10)))
    # then the service closed the current period and audited the change
    assert response.status_code == 302, response.content.decode()[:2000]
    assert fee_in_force(passport, on=today).total == 350_000
    assert fee_in_force(passport, on=days(10)).total == 420_000
    assert Fee.objects.get(service_type=passport, amount=350_000).valid_to == days(9)
    assert AuditEntry.objects.filter(action="catalog.fee_scheduled").exists()


def test_the_admin_form_shows_an_overlap_on_the_date_field(client_for, admin_user, service, days):
    passport = service("passport-ordinary-5y")
    client = client_for(admin_user)
    client.post(ADD_FEE, _fee_form(passport, days(10)))
    response = client.post(
        ADD_FEE, _fee_form(passport, days(5), amount=430_000), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "overlaps the period" in response.content.decode()
    assert not Fee.objects.filter(amount=430_000).exists()


def test_the_admin_form_asks_for_a_reason_for_a_past_date(client_for, admin_user, service, days):
    response = client_for(admin_user).post(
        ADD_FEE, _fee_form(service("itk-7d"), days(-3)), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "State why the change applies retroactively" in response.content.decode()


def test_admin_pages_show_the_catalogue_with_its_sources(client_for, admin_user, service):
    client = client_for(admin_user)
    passport = service("passport-ordinary-5y")
    for url in (
        "/admin/catalog/servicetype/",
        f"/admin/catalog/servicetype/{passport.pk}/change/",
        "/admin/catalog/fee/",
        f"/admin/catalog/fee/{passport.fees.get().pk}/change/",
        "/admin/catalog/slarule/",
        "/admin/catalog/requireddocument/",
        "/admin/catalog/billingrule/",
        f"{ADD_FEE}?service_type={passport.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "PP 45/2024" in client.get("/admin/catalog/fee/").content.decode()


def test_document_edits_in_the_admin_are_audited(client_for, admin_user, service):
    doc = RequiredDocument.objects.get(service_type=service("itk-30d"), code="passport")
    url = f"/admin/catalog/requireddocument/{doc.pk}/change/"
    data = {
        "service_type": doc.service_type_id,
        "code": doc.code,
        "name_id": doc.name_id,
        "name_en": "Valid passport",
        "description_id": "",
        "description_en": "",
        "is_mandatory": "on",
        "condition_id": "",
        "condition_en": "",
        "display_order": doc.display_order,
        "source": doc.source,
    }
    assert client_for(admin_user).post(url, data).status_code == 302
    entry = AuditEntry.objects.filter(action="catalog.admin_changed").latest("leaf_index")
    assert entry.data == {"model": "catalog.requireddocument", "fields": ["name_en"]}


@pytest.mark.parametrize("persona", ["supervisor", "auditor", "officer"])
def test_other_staff_cannot_open_the_catalogue_admin(request, client_for, persona, catalogue):
    response = client_for(request.getfixturevalue(persona)).get("/admin/catalog/fee/")
    assert response.status_code in (302, 403)
