"""ITAS extensions in the published catalogue: one service per ITAS duration,
charged the ITAS fee of the new duration (unconfirmed, as ITAS is), asking
for the current permit and the sponsor's letter, loaded by a reversible data
migration."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from simi.catalog.models import ServiceType

pytestmark = pytest.mark.django_db

URL = "/api/v1/services"
EXTENSIONS = {"itas-extension-6m": "6m", "itas-extension-1y": "1y", "itas-extension-2y": "2y"}
ITAS_OF = {code: f"itas-{duration}" for code, duration in EXTENSIONS.items()}


def test_it_publishes_an_itas_extension_for_every_itas_duration(client, catalogue):
    # when anyone lists the services of kind limited-stay-extension
    response = client.get(URL, {"kind": "limited-stay-extension"}, HTTP_ACCEPT_LANGUAGE="en")
    # then there is one extension per ITAS duration, for foreigners at Kotabumi
    assert response.status_code == 200, response.content
    items = {item["code"]: item for item in response.json()["items"]}
    assert set(items) == set(EXTENSIONS)
    for item in items.values():
        assert item["applicant_category"] == "foreigner"
        assert [office["code"] for office in item["offices"]] == ["kanim-kotabumi"]
        assert "extension" in item["name"].lower()


@pytest.mark.parametrize("code", EXTENSIONS)
def test_an_extension_costs_the_itas_fee_of_its_new_duration_flagged_unconfirmed(
    client, catalogue, code
):
    # given the ITAS of the same duration
    itas = client.get(f"{URL}/{ITAS_OF[code]}").json()
    # when the extension is read
    response = client.get(f"{URL}/{code}")
    # then its fee is that ITAS fee, to be confirmed like it, with its source
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["fee_total"] == itas["fee_total"]
    assert [fee["confirmed"] for fee in body["fees"]] == [False]
    assert body["fees"][0]["legal_basis"] == itas["fees"][0]["legal_basis"]
    assert body["fees"][0]["source"]
    # and it has the ITAS service standard and billing rule
    assert body["sla"]["working_days"] == itas["sla"]["working_days"]
    assert body["billing"] == itas["billing"]


@pytest.mark.parametrize("code", EXTENSIONS)
def test_an_extension_asks_for_the_current_permit_and_the_sponsors_letter(client, catalogue, code):
    # when the extension's documents are read
    documents = client.get(f"{URL}/{code}").json()["required_documents"]
    # then the passport, the current stay permit and the sponsor's letter are mandatory
    mandatory = {doc["code"] for doc in documents if doc["mandatory"]}
    assert {"passport", "stay-permit", "sponsor-letter"} <= mandatory
    # and each is flagged unconfirmed, like every document for foreigners
    assert all(not doc["confirmed"] for doc in documents)


def test_an_extension_issues_a_stay_permit_of_its_duration(catalogue):
    # given the loaded catalogue
    found = dict(
        ServiceType.objects.filter(code__in=EXTENSIONS).values_list("code", "issued_validity")
    )
    # then each extension issues a stay permit for its new duration
    assert found == EXTENSIONS
    assert set(
        ServiceType.objects.filter(code__in=EXTENSIONS).values_list("issued_kind", flat=True)
    ) == {"stay_permit"}


def test_the_public_catalogue_page_lists_the_extensions(client, catalogue):
    # when anyone opens the catalogue page in English
    page = client.get("/layanan/", HTTP_ACCEPT_LANGUAGE="en")
    # then the ITAS extensions are there, with a link to each
    assert page.status_code == 200
    for code in EXTENSIONS:
        assert f"/layanan/{code}/" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_extensions_migration_loads_and_unloads_only_the_extensions(catalogue):
    executor = MigrationExecutor(connection)
    before = ("catalog", "0006_issued_kind_shared_vocabulary")
    try:
        # when the data migration is reversed
        executor.migrate([before])
        # then the extensions are gone and every other service stays
        assert not ServiceType.objects.filter(code__in=EXTENSIONS).exists()
        assert ServiceType.objects.filter(code="itas-1y").exists()
        # and when it runs again they come back with their fees and documents
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        extension = ServiceType.objects.get(code="itas-extension-1y")
        assert extension.fees.count() == 1
        assert extension.documents.filter(code="stay-permit").exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
