"""Erasure where the law allows: the identity record goes, the account is
anonymized, the audit log keeps its (id-only) entries."""

import pytest

from simi.accounts.models import ApiToken
from simi.accounts.services import api_token_create
from simi.audit.models import AuditEntry
from simi.core.errors import Conflict
from simi.people.models import Person
from simi.privacy.models import DataSubjectRequest
from simi.privacy.services import dsr_complete

pytestmark = pytest.mark.django_db


def test_erasure_deletes_the_person_and_anonymizes_the_account(
    client, applicant, admin_user, ani_person, submit
):
    # given an applicant with an identity record, a token and audit history
    api_token_create(actor=applicant, name="Ponsel", scopes=["profile"], days=5)
    dsr = submit(applicant, kind="erasure", details="Hapus semua data saya, Ani.")
    entries_before = AuditEntry.objects.count()
    person_id = str(ani_person.public_id)
    # when the handler completes the erasure request
    dsr_complete(actor=admin_user, public_id=dsr.public_id, note="")
    # then the person is gone and the account says nothing about her
    assert not Person.objects.filter(public_id=person_id).exists()
    applicant.refresh_from_db()
    assert applicant.email == f"erased-{applicant.public_id}@erased.invalid"
    assert applicant.full_name == "—"
    assert applicant.is_active is False
    assert not applicant.has_usable_password()
    assert applicant.person_id is None
    assert not ApiToken.objects.filter(user=applicant).exists()
    # and the request stays as proof of handling, without her free text
    dsr.refresh_from_db()
    assert dsr.status == DataSubjectRequest.Status.COMPLETED
    assert dsr.details is None
    # and every earlier audit entry is still there, with new ones for the erasure
    assert AuditEntry.objects.count() > entries_before
    assert AuditEntry.objects.filter(object_id=person_id, action="people.person_created").exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"people.person_deleted", "accounts.account_anonymized"} <= actions
    # and she can no longer sign in
    assert not client.login(username="ani@example.test", password="correct-horse-battery-42")


def test_staff_accounts_are_not_erased(officer, admin_user, submit):
    dsr = submit(officer, kind="erasure", details="")
    with pytest.raises(Conflict) as caught:
        dsr_complete(actor=admin_user, public_id=dsr.public_id, note="")
    assert caught.value.code == "erasure_not_allowed"
    officer.refresh_from_db()
    assert officer.is_active


def test_erasure_waits_for_the_persons_other_open_requests(applicant, admin_user, submit):
    dsr = submit(applicant, kind="erasure", details="")
    submit(applicant, kind="correction")
    with pytest.raises(Conflict):
        dsr_complete(actor=admin_user, public_id=dsr.public_id, note="")
    applicant.refresh_from_db()
    assert applicant.is_active


def test_the_handler_page_names_what_blocks_an_erasure(client_for, officer, admin_user, submit):
    dsr = submit(officer, kind="erasure", details="")
    page = client_for(admin_user).get(f"/kantor/data-pribadi/permintaan/{dsr.public_id}/")
    assert page.status_code == 200
    assert "alert-warning" in page.content.decode()
    refused = client_for(admin_user).post(
        f"/kantor/data-pribadi/permintaan/{dsr.public_id}/complete/", {"note": ""}
    )
    assert refused.status_code == 409


def test_a_submitted_application_keeps_the_data_and_a_draft_does_not(
    applicant, admin_user, ani_person, submit, catalogue
):
    from simi.applications.models import Application
    from simi.applications.services import application_create
    from simi.privacy.erasure import erasure_blockers

    draft = application_create(
        actor=applicant, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )
    # a draft is no official record: erasure may go ahead and takes the draft along
    assert erasure_blockers(applicant) == []
    dsr = submit(applicant, kind="erasure", details="Hapus data saya.")
    dsr_complete(actor=admin_user, public_id=dsr.public_id, note="")
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not Person.objects.filter(pk=ani_person.pk).exists()


def test_a_submitted_application_is_a_record_that_blocks_erasure(applicant, ani_person, catalogue):
    from simi.applications.services import application_create
    from simi.applications.tests.complete import submit_complete
    from simi.privacy.erasure import erasure_blockers

    draft = application_create(
        actor=applicant, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )
    submit_complete(actor=applicant, application=draft)
    from django.utils import translation

    (reason,) = erasure_blockers(applicant)
    with translation.override("en"):
        assert "official records" in str(reason)
