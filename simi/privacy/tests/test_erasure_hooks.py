"""The domains above privacy name the records they must keep through the hook
``privacy.erasure_blockers``; erasing lets them tidy up through ``privacy.erasing``."""

import pytest

from simi.applications.models import Application
from simi.applications.services import application_create
from simi.applications.tests.complete import submit_complete
from simi.oversight.models import Foreigner
from simi.privacy.models import DataSubjectRequest

pytestmark = pytest.mark.django_db

REGISTER = "You are in the register of foreigners"
APPLICATIONS = "Applications you submitted are official records"


def _handler_page(client_for, admin_user, dsr):
    client = client_for(admin_user)
    client.cookies["django_language"] = "en"
    return client, client.get(f"/kantor/data-pribadi/permintaan/{dsr.public_id}/")


def test_the_register_of_foreigners_keeps_the_data(
    client_for, applicant, admin_user, ani_person, liwa, submit
):
    # given Ani is in the register of foreigners and asks to be erased
    Foreigner.objects.create(person=ani_person, office=liwa)
    dsr = submit(applicant, kind="erasure", details="Hapus data saya.")
    # when the handler opens the request and tries to complete it
    client, page = _handler_page(client_for, admin_user, dsr)
    refused = client.post(f"/kantor/data-pribadi/permintaan/{dsr.public_id}/complete/", {})
    # then the page names the register, the erasure is refused and nothing is erased
    assert REGISTER in page.content.decode()
    assert refused.status_code == 409
    applicant.refresh_from_db()
    assert applicant.is_active
    assert applicant.person_id == ani_person.pk


def test_every_record_that_keeps_the_data_is_named(
    client_for, applicant, admin_user, ani_person, liwa, submit, catalogue
):
    # given a submitted application and a place in the register of foreigners
    draft = application_create(
        actor=applicant, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )
    submit_complete(actor=applicant, application=draft)
    Foreigner.objects.create(person=ani_person, office=liwa)
    dsr = submit(applicant, kind="erasure", details="Hapus data saya.")
    # when the handler opens the request
    _client, page = _handler_page(client_for, admin_user, dsr)
    # then both duties are named
    text = page.content.decode()
    assert APPLICATIONS in text
    assert REGISTER in text


def test_erasing_discards_the_drafts_through_the_hook(
    client_for, applicant, admin_user, ani_person, submit, catalogue
):
    # given Ani's draft and her erasure request
    draft = application_create(
        actor=applicant, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )
    dsr = submit(applicant, kind="erasure", details="Hapus data saya.")
    # when the handler completes it on the back-office page
    response = client_for(admin_user).post(
        f"/kantor/data-pribadi/permintaan/{dsr.public_id}/complete/", {"note": ""}
    )
    # then the draft went before the identity record
    assert response.status_code == 302
    assert not Application.objects.filter(pk=draft.pk).exists()
    dsr.refresh_from_db()
    assert dsr.status == DataSubjectRequest.Status.COMPLETED
