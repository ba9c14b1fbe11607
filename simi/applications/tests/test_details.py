"""The guided form: each service asks what its documents need (a family card
number for passports, the sponsor for stay permits), validated, encrypted, and
checked before verification can complete."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from simi.applications import workflow
from simi.applications.documents import document_upload
from simi.applications.models import Application
from simi.applications.requirements import (
    ApplicationIncomplete,
    missing_details,
    missing_documents,
    required_details,
)
from simi.applications.services import (
    application_create,
    application_details_save,
    application_submit,
)
from simi.applications.tests.conftest import API
from simi.applications.tests.files import pdf_bytes, png_bytes
from simi.catalog.selectors import service_get
from simi.core.errors import Conflict, ValidationFailed
from simi.people.services import PersonData, person_create


def test_each_service_asks_what_its_documents_need(catalogue):
    assert required_details(service_get(code="passport-ordinary-5y")) == ["family_card_number"]
    assert required_details(service_get(code="itas-1y")) == ["sponsor"]
    assert required_details(service_get(code="passport-replacement-lost")) == []


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("12345", "kk_format"),
        ("18040412031500AB", "kk_format"),
        ("9904041203150007", "kk_province"),
    ],
)
def test_a_wrong_family_card_number_is_a_field_error(draft, ani, number, code):
    with pytest.raises(ValidationFailed) as refused:
        application_details_save(actor=ani, application=draft, family_card_number=number)
    assert refused.value.code == code
    assert list(refused.value.fields) == ["family_card_number"]


def test_the_family_card_number_is_stored_encrypted(draft, ani):
    application_details_save(actor=ani, application=draft, family_card_number="1804 0412 0315 0007")
    draft.refresh_from_db()
    assert draft.family_card_number == "1804041203150007"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT family_card_number FROM applications_application WHERE id = %s", [draft.pk]
        )
        (raw,) = cursor.fetchone()
    assert "1804041203150007" not in raw


def test_a_passport_is_not_asked_for_a_sponsor(draft, ani):
    with pytest.raises(ValidationFailed) as refused:
        application_details_save(
            actor=ani,
            application=draft,
            sponsor_kind="company",
            sponsor_name="PT X",
            sponsor_contact="+6281234567890",
        )
    assert refused.value.code == "not_asked"


def test_a_sponsor_needs_kind_name_and_a_reachable_contact(catalogue, other_applicant):
    other_applicant.person = person_create(
        actor=None,
        data=PersonData(
            kind="foreigner",
            full_name="Lena Synthetic",
            nationality="DEU",
            passport_number="C01X00T47",
        ),
    )
    other_applicant.save(update_fields=["person"])
    app = application_create(
        actor=other_applicant, service_code="itas-1y", office_code="kanim-kotabumi"
    )
    with pytest.raises(ValidationFailed) as refused:
        application_details_save(
            actor=other_applicant,
            application=app,
            sponsor_kind="friend",
            sponsor_name="X",
            sponsor_contact="call me",
        )
    assert set(refused.value.fields) == {"sponsor_kind", "sponsor_name", "sponsor_contact"}
    application_details_save(
        actor=other_applicant,
        application=app,
        sponsor_kind="person",
        sponsor_name="Wayan Synthetic",
        sponsor_contact="Wayan@Example.TEST",
    )
    app.refresh_from_db()
    assert app.sponsor_contact == "wayan@example.test"
    assert missing_details(app) == []


def test_verification_cannot_complete_without_the_details(submitted, ani, officer):
    # given an application submitted before submission required the details
    Application.objects.filter(pk=submitted.pk).update(family_card_number=None)
    submitted.refresh_from_db()
    document_upload(
        actor=ani, application=submitted, requirement_code="civil-record", content=pdf_bytes()
    )
    workflow.start_verification(actor=officer, application=submitted)
    with pytest.raises(Conflict) as refused:
        workflow.complete_verification(actor=officer, application=submitted)
    assert refused.value.code == "details_incomplete"
    application_details_save(
        actor=ani, application=submitted, family_card_number="1804041203150007"
    )
    workflow.complete_verification(actor=officer, application=submitted)
    submitted.refresh_from_db()
    assert submitted.status == "interview"


def test_details_through_the_api_and_someone_elses_draft(draft, ani, budi, client_for):
    url = f"{API}/applications/{draft.public_id}/details"
    body = json.dumps({"family_card_number": "1804041203150007"})
    theirs = client_for(budi).put(url, data=body, content_type="application/json")
    assert theirs.status_code == 404
    mine = client_for(ani).put(url, data=body, content_type="application/json")
    assert mine.status_code == 200
    assert mine.json()["details_missing"] == []
    bad = client_for(ani).put(
        url,
        data=json.dumps({"family_card_number": "1"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert bad.status_code == 422
    assert "16 digit" in bad.json()["error"]["fields"]["family_card_number"][0]


def test_details_cannot_change_after_the_decision(submitted, ani):
    Application.objects.filter(pk=submitted.pk).update(status="paid")
    submitted.refresh_from_db()
    with pytest.raises(Conflict):
        application_details_save(
            actor=ani, application=submitted, family_card_number="1804041203150007"
        )


def test_a_draft_is_not_submitted_before_its_details(ani, catalogue):
    # given a passport draft with every document but no family card number
    draft = application_create(
        actor=ani, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )
    for code in missing_documents(draft):
        document_upload(actor=ani, application=draft, requirement_code=code, content=png_bytes())
    assert missing_details(draft) == ["family_card_number"]
    # when she submits, then it is refused and names the missing detail
    with pytest.raises(ApplicationIncomplete) as caught:
        application_submit(actor=ani, application=draft, declared=True)
    assert [(m.item, m.kind) for m in caught.value.missing] == [("family_card_number", "field")]
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.sla_due_date is None
