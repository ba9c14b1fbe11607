"""The public catalogue API: /api/v1/services and /api/v1/services/{code}."""

import pytest

from simi.catalog.models import ServiceType
from simi.catalog.services import fee_schedule_change

pytestmark = pytest.mark.django_db

URL = "/api/v1/services"


def test_it_lists_every_published_service_without_signing_in(client, catalogue):
    # when an anonymous client lists the services
    response = client.get(URL, {"limit": 100})
    # then every service comes with its fee, standard, documents and offices
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 30
    passport = next(i for i in body["items"] if i["code"] == "passport-ordinary-5y")
    assert passport["kind"] == "passport"
    assert passport["fee_total"] == 350_000
    assert passport["fee_total_display"] == "Rp350.000"
    assert passport["fees"][0]["legal_basis"].startswith("PP 45/2024")
    assert passport["sla"]["working_days"] == 4
    assert [d["code"] for d in passport["required_documents"]][:2] == ["e-ktp", "kartu-keluarga"]
    assert [o["code"] for o in passport["offices"]] == ["kanim-kotabumi", "ulp-liwa"]
    assert passport["billing"] == {
        "expiry_minutes": 120,
        "on_expiry": "cancel",
        "legal_basis": passport["billing"]["legal_basis"],
    }


def test_it_pages_the_list(client, catalogue):
    body = client.get(URL, {"limit": 5, "offset": 28}).json()
    assert body["count"] == 30
    assert len(body["items"]) == 2
    assert client.get(URL, {"offset": 10**12}).json()["items"] == []


def test_it_answers_in_the_language_asked_for(client, catalogue):
    english = client.get(f"{URL}/itk-30d", HTTP_ACCEPT_LANGUAGE="en").json()
    indonesian = client.get(f"{URL}/itk-30d", HTTP_ACCEPT_LANGUAGE="id").json()
    assert english["name"] == "Visit stay permit (ITK) extension, 30 days"
    assert indonesian["name"] == "Perpanjangan Izin Tinggal Kunjungan (ITK), 30 hari"
    assert english["required_documents"][0]["name"] == "Valid national passport"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"kind": "re-entry"},
            {"re-entry-30d", "re-entry-1y", "re-entry-2y", "re-entry-5y", "re-entry-10y"},
        ),
        ({"kind": "travel-document", "applicant_category": "citizen"}, {"splp-citizen"}),
        ({"kind": "travel-document", "office": "ulp-liwa"}, {"splp-citizen"}),
        (
            {"kind": "travel-document", "office": "kanim-kotabumi"},
            {"splp-citizen", "splp-foreigner"},
        ),
    ],
)
def test_it_filters(client, catalogue, params, expected):
    body = client.get(URL, {**params, "limit": 100}).json()
    assert {item["code"] for item in body["items"]} == expected


def test_the_office_filter_leaves_out_foreigner_services_at_liwa(client, catalogue):
    items = client.get(URL, {"office": "ulp-liwa", "limit": 100}).json()["items"]
    assert items
    assert all(item["applicant_category"] == "citizen" for item in items)


def test_it_shows_the_fees_in_force_on_a_given_day(client, service, admin_user, days):
    # given a fee change from 30 days on
    fee_schedule_change(
        actor=admin_user,
        service_type=service("itk-30d"),
        amount=600_000,
        valid_from=days(30),
        legal_basis="PP 99/2027",
    )
    # then today's answer is unchanged and the later day shows the new fee
    assert client.get(f"{URL}/itk-30d").json()["fee_total"] == 500_000
    later = client.get(f"{URL}/itk-30d", {"on": days(30).isoformat()}).json()
    assert later["fee_total"] == 600_000
    assert later["on"] == days(30).isoformat()
    before = client.get(f"{URL}/itk-30d", {"on": "2024-12-17"}).json()
    assert before["fee_total"] is None
    assert before["fees"] == []


def test_unknown_and_unpublished_codes_answer_404(client, service):
    assert client.get(f"{URL}/no-such-service").status_code == 404
    ServiceType.objects.filter(code="itap-5y").update(is_active=False)
    response = client.get(f"{URL}/itap-5y")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"on": "2025-13-40"}, "on"),
        ({"on": "tomorrow"}, "on"),
        ({"kind": "spaceship"}, "kind"),
        ({"applicant_category": "alien"}, "applicant_category"),
        ({"office": "no-such-office"}, "office"),
    ],
)
def test_bad_query_values_answer_422_with_the_field(client, catalogue, params, field):
    response = client.get(URL, params)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_a_bad_date_on_the_detail_answers_422(client, catalogue):
    response = client.get(f"{URL}/itk-30d", {"on": "30-01-2025"})
    assert response.status_code == 422
    assert "on" in response.json()["error"]["fields"]


def test_codes_that_cannot_exist_never_reach_the_database(client, catalogue):
    # NUL characters make PostgreSQL refuse the query: the edge answers 400 first
    assert client.get(f"{URL}/bad%00code").status_code == 400
    assert client.get(URL, {"office": "liwa\x00"}).status_code == 400
    # and a code that cannot exist is a plain 404
    assert client.get(f"{URL}/{'x' * 500}").status_code == 404


@pytest.mark.parametrize("value", ["0", "1700000000", "2025-1-5", "2025-01-01T00:00"])
def test_only_iso_dates_are_read_as_dates(client, catalogue, value):
    response = client.get(URL, {"on": value})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["on"]
