"""Every service of the shipped catalogue, applied for and issued through the
API: the document registered is the kind its catalogue row names; passports
carry a valid ICAO 9303 MRZ, the other kinds none; and anyone can check its
seal at POST /api/v1/verify."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from simi.accounts.roles import Role
from simi.accounts.tests.factories import UserFactory
from simi.applications.models import Application
from simi.applications.requirements import permit_kind_extended
from simi.applications.tests.conftest import API, post_json
from simi.applications.tests.files import pdf_bytes
from simi.catalog.models import BillingRule, ServiceType, SlaRule
from simi.catalog.referencedata import read_csv
from simi.catalog.selectors import required_documents
from simi.core.documents import DocumentKind
from simi.core.models import Office
from simi.issuance import mrz
from simi.issuance.models import IssuedDocument
from simi.issuance.printing import document_seal_text
from simi.issuance.services import mrz_document_code
from simi.oversight.register.permits import permit_register_from_issuance
from simi.payments.models import Bill
from simi.people.services import PersonData, person_create

try:  # the independent PyPI package `mrz`, a development dependency
    from mrz.checker.mrva import MRVACodeChecker
    from mrz.checker.td3 import TD3CodeChecker

    THEIR_CHECKERS: dict[str, Any] = {"TD3": TD3CodeChecker, "MRV-A": MRVACodeChecker}
except ImportError:  # pragma: no cover - test_mrz_crosscheck says how to install it
    THEIR_CHECKERS = {}

SERVICE_CODES = [row["code"] for row in read_csv("services.csv")]
# Every service, the Rp0 disaster replacements included (they go from the
# interview to a supervisor without a bill).
SERVICES = SERVICE_CODES
BOOKLET = "X1234567"
CURRENT_ITAS = "KTB-ITAS-0001"
DETAILS = {
    "family_card_number": {"family_card_number": "1804041203150007"},
    "sponsor": {
        "sponsor_kind": "company",
        "sponsor_name": "PT Kopi Liwa Sintetis",
        "sponsor_contact": "+62 812-0000-1111",
    },
}


def identity(kind: str) -> PersonData:
    if kind == "citizen":
        return PersonData(
            kind="citizen",
            full_name="Ani Rahmawati Putri",
            nik="1804041708850003",
            birth_date=date(1985, 8, 17),
            sex="F",
            address="Pekon Uji (synthetic)",
        )
    return PersonData(
        kind="foreigner",
        full_name="Mara Testperson",
        nationality="NLD",
        passport_number="NX1234567",
        birth_date=date(1990, 4, 2),
        sex="F",
    )


def office_for(service: ServiceType) -> Office:
    """The service point where one is offered (Liwa), else the office. A
    service offered nowhere (visa on arrival) is published at Kotabumi with a
    service standard and a billing rule, as an administrator would, so that
    its application reaches the issue step."""
    offices = {office.code: office for office in service.offices.all()}
    if offices:
        return offices.get("ulp-liwa") or offices["kanim-kotabumi"]
    office = Office.objects.get(code="kanim-kotabumi")
    service.offices.add(office)
    SlaRule.objects.create(
        service_type=service, working_days=4, valid_from=date(2024, 1, 1), legal_basis="Test"
    )
    BillingRule.objects.create(
        service_type=service, expiry_minutes=120, on_expiry="cancel", legal_basis="Test"
    )
    return office


def apply(client: Client, service: ServiceType, office: Office) -> str:
    """The applicant's part through the API: draft, details, documents, submit."""
    created = post_json(
        client, f"{API}/applications", {"service": service.code, "office": office.code}
    )
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    details: dict[str, str] = {}
    for detail in created.json()["details_missing"]:
        if detail == "extends_permit":  # the applicant chooses her current ITAS
            offered = client.get(f"{API}/applications/{app_id}/permits-to-extend").json()
            details["extends_permit"] = offered[0]["id"]
            continue
        details.update(DETAILS[detail])
    if details:
        saved = client.put(
            f"{API}/applications/{app_id}/details", data=details, content_type="application/json"
        )
        assert saved.status_code == 200, saved.content
    for requirement in required_documents(service):
        if not requirement.is_mandatory:
            continue
        upload = io.BytesIO(pdf_bytes(text=f"synthetic {requirement.code}"))
        upload.name = f"{requirement.code}.pdf"
        response = client.post(
            f"{API}/applications/{app_id}/documents",
            {"requirement_code": requirement.code, "file": upload},
        )
        assert response.status_code == 201, response.content
    submitted = post_json(client, f"{API}/applications/{app_id}/submit", {"declaration": True})
    assert submitted.status_code == 200, submitted.content
    return app_id


def process(officer: Client, chief: Client, app_id: str) -> None:
    """The office's part up to the decision: verify, interview, paid, approved."""
    for path, body in (
        ("start-verification", {}),
        ("complete-verification", {}),
        ("interview", {"biometrics_reference": "BIO-0001"}),
    ):
        response = post_json(officer, f"{API}/office/applications/{app_id}/{path}", body)
        assert response.status_code == 200, (path, response.content)
    interviewed = response
    if Application.objects.get(public_id=app_id).fee_total_at_submit == 0:
        # no fee, no bill: the interview sends it on to the supervisor
        assert not Bill.objects.filter(reference=app_id).exists()
        assert interviewed.json()["status"] == "paid"
    else:
        bill = Bill.objects.get(reference=app_id, status="unpaid")
        call_command("simulate_payment", bill.billing_code)
    approved = post_json(chief, f"{API}/office/applications/{app_id}/approve", {})
    assert approved.status_code == 200, approved.content


def approved(service: ServiceType, applicant: Any, chief: Client, client_for: Any) -> str:
    """An application for ``service``, made and worked through the API up to approval."""
    applicant.person = person_create(actor=None, data=identity(service.applicant_category))
    applicant.save(update_fields=["person"])
    office = office_for(service)
    if permit_kind_extended(service) is not None:  # an extension: her current ITAS
        today = timezone.localdate()
        permit_register_from_issuance(
            actor=None,
            holder=applicant.person,
            kind="itas",
            number=CURRENT_ITAS,
            valid_from=today - timedelta(days=300),
            valid_until=today + timedelta(days=30),
            office=office,
            issued_document_id=uuid.uuid4(),
        )
    officer = UserFactory(email="desk@example.test", role=Role.FRONT_DESK, office=office)
    app_id = apply(client_for(applicant), service, office)
    process(client_for(officer), chief, app_id)
    return app_id


def issue(chief: Client, app_id: str, service: ServiceType) -> Any:
    """The supervisor issues it, giving the printed number where the kind has an MRZ."""
    number = BOOKLET if mrz_document_code(service.issued_kind) else ""
    body = {"document_number": number}
    return post_json(chief, f"{API}/office/applications/{app_id}/issue", body)


def assert_issued_as_catalogued(
    response: Any, app_id: str, service: ServiceType, chief: Client
) -> Any:
    """The register holds the catalogue's kind, with an MRZ exactly when the
    kind carries one, the staff API shows that MRZ (or none), and the seal
    verifies for anyone."""
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "issued"
    document = Application.objects.get(public_id=app_id).issued_document
    assert document.kind == service.issued_kind
    document_code = mrz_document_code(document.kind)
    if document_code is None:
        assert (document.mrz_line1, document.mrz_line2) == (None, None)
    else:
        assert document.number == BOOKLET
        assert_valid_mrz(document, document_code)
    staff = chief.get(f"{API}/documents/{document.public_id}")
    assert staff.status_code == 200, staff.content
    expected_mrz = None if document_code is None else [document.mrz_line1, document.mrz_line2]
    assert staff.json()["mrz"] == expected_mrz
    verdict = post_json(Client(), f"{API}/verify", {"seal": document_seal_text(document)})
    assert verdict.status_code == 200, verdict.content
    # an extension begins the day after the permit it extends ends: not valid yet
    expected = "valid" if document.valid_from <= timezone.localdate() else "not_yet_valid"
    assert (verdict.json()["status"], verdict.json()["kind"]) == (expected, service.issued_kind)
    return document


def assert_valid_mrz(document: Any, document_code: str) -> None:
    """Every check digit holds (our reader, and the independent package where
    installed) and the MRZ carries the document's code, number and expiry."""
    lines = (document.mrz_line1, document.mrz_line2)
    read = mrz.parse(lines)
    assert read.valid, read.failed_checks
    assert read.document_code.rstrip("<") == document_code
    assert read.document_number == document.number
    assert read.expiry_date == document.valid_until.strftime("%y%m%d")
    checker = THEIR_CHECKERS.get(read.format)
    if checker is not None:
        assert bool(checker("\n".join(lines)))


def test_the_catalogue_and_the_register_share_one_vocabulary_of_kinds():
    # given what a service may issue and what the register may hold
    issues = ServiceType._meta.get_field("issued_kind").choices
    holds = IssuedDocument._meta.get_field("kind").choices
    # then both are the same kinds (the catalogue may also say "nothing here")
    assert [value for value, _label in holds] == DocumentKind.values
    assert [value for value, _label in issues] == ["", *DocumentKind.values]


def test_the_services_checked_below_are_the_whole_loaded_catalogue(catalogue):
    # given the catalogue loaded by its data migration
    loaded = set(ServiceType.objects.values_list("code", flat=True))
    # then the services the test below goes through are exactly those
    assert loaded == set(SERVICE_CODES)


@pytest.mark.parametrize("code", SERVICES)
def test_it_issues_the_kind_of_document_the_catalogue_names(
    code, catalogue, applicant, supervisor, client_for
):
    # given an approved application for the service
    service = ServiceType.objects.get(code=code)
    chief = client_for(supervisor)
    app_id = approved(service, applicant, chief, client_for)
    # when the supervisor issues it
    response = issue(chief, app_id, service)
    # then the register holds the kind the catalogue names, MRZ and seal as that kind has them
    if service.issued_kind:
        assert_issued_as_catalogued(response, app_id, service, chief)
        return
    # or, for a service that issues nothing here, nothing is registered
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "nothing_to_issue"
    app = Application.objects.get(public_id=app_id)
    assert (app.status, app.issued_document) == ("approved", None)


def test_an_splp_is_a_travel_document_without_an_mrz(catalogue):
    # given the shipped catalogue
    splp = ServiceType.objects.filter(kind=ServiceType.Kind.TRAVEL_DOCUMENT)
    # then both SPLP services issue travel documents, a kind that carries no MRZ (yet)
    assert {service.issued_kind for service in splp} == {DocumentKind.TRAVEL_DOCUMENT}
    assert mrz_document_code(DocumentKind.TRAVEL_DOCUMENT) is None


def test_a_service_the_catalogue_sets_to_issue_visas_gets_an_mrva_mrz(
    catalogue, applicant, supervisor, client_for
):
    # given an administrator has set visa on arrival to issue a 30-day visa here
    service = ServiceType.objects.get(code="visa-on-arrival")
    service.issued_kind, service.issued_validity = DocumentKind.VISA, "30d"
    service.save(update_fields=["issued_kind", "issued_validity"])
    chief = client_for(supervisor)
    app_id = approved(service, applicant, chief, client_for)
    # when the supervisor issues it with the visa's printed number
    response = issue(chief, app_id, service)
    # then it is registered as a visa with an MRV-A MRZ, and its seal verifies
    document = assert_issued_as_catalogued(response, app_id, service, chief)
    assert document.mrz_line1.startswith("V<IDN")
    assert mrz.parse((document.mrz_line1, document.mrz_line2)).format == "MRV-A"


@pytest.mark.parametrize("number", ["X 12/34.56!", "X" * 41, "1234567890ABC"])
def test_it_names_document_number_when_the_printed_number_cannot_be_issued(
    number, catalogue, applicant, supervisor, client_for
):
    # given an approved passport application
    service = ServiceType.objects.get(code="passport-ordinary-5y")
    chief = client_for(supervisor)
    app_id = approved(service, applicant, chief, client_for)
    # when the supervisor issues it with a number that is not a document
    # number, or too long for the passport's MRZ
    response = post_json(
        chief, f"{API}/office/applications/{app_id}/issue", {"document_number": number}
    )
    # then the error points at the field the request sent, not issuance's own names
    assert response.status_code == 422, response.content
    assert list(response.json()["error"]["fields"]) == ["document_number"]
    assert Application.objects.get(public_id=app_id).status == "approved"
