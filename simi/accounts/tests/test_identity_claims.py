"""Recording an identity number tells nobody whether it is on file, and the
rightful owner of a number someone else recorded first gets it back at the office.

Issue 12, finding 4: ``PUT /api/v1/me/identity`` answered 409 ``nik_taken`` for a
number already on file, without a limit: an oracle for who is on file, and a
way to squat a victim's NIK so that they cannot apply online.
"""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from simi.accounts.claims.services import IDENTITY_CHANGES_PER_DAY
from simi.accounts.models import IdentityClaim, User
from simi.accounts.tests.factories import UserFactory
from simi.audit.models import AuditEntry
from simi.people.models import Person
from simi.people.services import nik_index

pytestmark = pytest.mark.django_db

VICTIM_NIK = "1804045708950002"  # Siti, born 17 Aug 1995
FREE_NIK = "1804045708950003"  # the same region and birth date, another serial
OTHER_FREE_NIK = "1804045708950004"


def citizen(nik: str, name: str = "Siti Rahmawati") -> dict:
    return {"kind": "citizen", "full_name": name, "nik": nik, "phone": "0812 3456 7890"}


def put_identity(client, nik: str, name: str = "Siti Rahmawati"):
    return client.put("/api/v1/me/identity", citizen(nik, name), content_type="application/json")


@pytest.fixture
def squatter(db):
    """An account that recorded Siti's NIK before she did."""
    return UserFactory(email="squatter@example.test", full_name="Someone Else", role="applicant")


@pytest.fixture
def squatted(client_for, squatter):
    response = put_identity(client_for(squatter), VICTIM_NIK, "Siti Palsu")
    assert response.status_code == 200
    return squatter


def _writes(queries) -> list[tuple[str, str]]:
    found = []
    for query in queries:
        match = re.match(
            r'\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', query["sql"] or "", re.I
        )
        if match:
            found.append((match.group(1).upper(), match.group(2)))
    return found


def _reads(queries) -> list[str]:
    found = []
    for query in queries:
        match = re.match(r'\s*SELECT .*? FROM\s+"?(\w+)"?', query["sql"] or "", re.I | re.S)
        if match:
            found.append(match.group(1))
    return found


# --- no oracle --------------------------------------------------------------


def test_it_answers_the_api_alike_for_a_number_on_file_and_a_free_one(
    client_for, squatted, applicant, other_applicant
):
    # when one applicant records a NIK already on file and another a free one
    taken = put_identity(client_for(applicant), VICTIM_NIK)
    free = put_identity(client_for(other_applicant), FREE_NIK)
    # then both get the same status and the same body, but for the number itself
    assert taken.status_code == free.status_code == 200
    taken_body, free_body = taken.json(), free.json()
    assert taken_body.pop("nik_last4") == "0002"
    assert free_body.pop("nik_last4") == "0003"
    assert taken_body == free_body


def test_it_answers_the_page_alike_for_a_number_on_file_and_a_free_one(
    client_for, squatted, applicant, other_applicant
):
    # when the same happens through the identity page
    taken = client_for(applicant).post("/akun/identitas/", citizen(VICTIM_NIK), follow=True)
    free = client_for(other_applicant).post("/akun/identitas/", citizen(FREE_NIK), follow=True)
    # then both land on the same page with the same message
    assert taken.status_code == free.status_code == 200
    assert taken.redirect_chain == free.redirect_chain == [("/akun/", 302)]
    assert [str(m) for m in taken.context["messages"]] == [str(m) for m in free.context["messages"]]


def test_it_does_the_same_database_work_for_a_number_on_file_and_a_free_one(
    client_for, squatted, applicant, other_applicant
):
    # given both clients signed in and the audit log begun
    taken_client, free_client = client_for(applicant), client_for(other_applicant)
    # when each records a number, one on file, one free
    with CaptureQueriesContext(connection) as taken:
        put_identity(taken_client, VICTIM_NIK)
    with CaptureQueriesContext(connection) as free:
        put_identity(free_client, FREE_NIK)
    # then the same tables were read and written, in the same order
    assert _writes(taken.captured_queries) == _writes(free.captured_queries)
    assert _reads(taken.captured_queries) == _reads(free.captured_queries)
    assert len(taken.captured_queries) == len(free.captured_queries)


def test_it_keeps_the_number_with_its_holder_until_an_officer_decides(
    client_for, squatted, applicant
):
    # when Siti records the NIK the squatter recorded first
    put_identity(client_for(applicant), VICTIM_NIK)
    # then the number stays on the squatter's record, Siti's claim waits for a check
    holder = Person.objects.get(nik_index=nik_index(VICTIM_NIK))
    assert holder.account == squatted
    claim = IdentityClaim.objects.get(account=applicant)
    assert claim.status == IdentityClaim.Status.PENDING
    assert claim.holder == holder
    # and her account has no identity to apply with yet, which her page explains
    assert User.objects.get(pk=applicant.pk).person is None
    page = client_for(applicant).get("/akun/identitas/").content.decode()
    assert "Nomor ini perlu diperiksa petugas" in page
    assert "e-KTP" in page
    assert "Siti Rahmawati" in page  # the form keeps what she entered


def test_it_records_a_free_number_at_once(client_for, applicant):
    # when an applicant records a number nobody holds
    put_identity(client_for(applicant), FREE_NIK)
    # then it is theirs at once, and the claim says so
    person = User.objects.get(pk=applicant.pk).person
    assert person.nik == FREE_NIK
    assert IdentityClaim.objects.get(account=applicant).status == IdentityClaim.Status.RECORDED


# --- the limit per account ----------------------------------------------------


def test_it_limits_identity_changes_per_account(client_for, applicant):
    client = client_for(applicant)
    numbers = [f"18040457089500{n:02d}" for n in range(1, IDENTITY_CHANGES_PER_DAY + 2)]
    # when the applicant changes their identity more often than a day allows
    answers = [put_identity(client, nik).status_code for nik in numbers]
    # then the changes beyond the limit are refused with a wait
    assert answers == [200] * IDENTITY_CHANGES_PER_DAY + [429]
    refused = put_identity(client, numbers[0])
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "identity_changes_limited"
    assert int(refused["Retry-After"]) > 3600
    # and the page shares the count
    page = client.post("/akun/identitas/", citizen(numbers[0]))
    assert page.status_code == 429
    assert int(page["Retry-After"]) > 3600
    assert "terlalu sering" in page.content.decode()


def test_the_limit_is_per_account(client_for, applicant, other_applicant):
    for n in range(IDENTITY_CHANGES_PER_DAY + 1):
        put_identity(client_for(applicant), f"18040457089500{n + 1:02d}")
    # another account is not held back by the first one's changes
    assert put_identity(client_for(other_applicant), "1804045708950099").status_code == 200


# --- the rightful owner ------------------------------------------------------


def _claim_at_liwa(client_for, user) -> IdentityClaim:
    claim = IdentityClaim.objects.get(account=user, status=IdentityClaim.Status.PENDING)
    response = client_for(user).post(
        f"/akun/identitas/pemeriksaan/{claim.public_id}/kantor/", {"office": "ulp-liwa"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    return claim


@pytest.mark.django_db(transaction=True)  # the worker sends the mails
def test_the_rightful_owner_gets_her_number_back_at_the_office(
    client_for, squatted, applicant, officer, run_jobs, catalogue
):
    # given the squatter drafted an application with Siti's NIK
    squatter_client = client_for(squatted)
    draft = squatter_client.post(
        "/api/v1/applications",
        {"service": "passport-ordinary-5y", "office": "ulp-liwa"},
        content_type="application/json",
    )
    assert draft.status_code == 201, draft.content
    # when Siti records her NIK and chooses the Liwa service point for the check
    put_identity(client_for(applicant), VICTIM_NIK)
    claim = _claim_at_liwa(client_for, applicant)
    page = client_for(applicant).get("/akun/identitas/").content.decode()
    assert "ULP" in page or "Liwa" in page
    # then the Liwa officer finds her claim in the queue and opens it
    desk = client_for(officer)
    queue = desk.get("/kantor/identitas/").content.decode()
    assert str(claim.public_id) in queue
    detail = desk.get(f"/kantor/identitas/{claim.public_id}/")
    assert detail.status_code == 200
    assert "Siti Rahmawati" in detail.content.decode()
    assert AuditEntry.objects.filter(
        action="accounts.identity_claim_viewed", object_id=str(claim.public_id)
    ).exists()
    # when the officer has seen her e-KTP and confirms
    done = desk.post(
        f"/kantor/identitas/{claim.public_id}/confirm/",
        {"note": "e-KTP asli diperiksa di loket, cocok dengan wajah"},
    )
    assert done.status_code == 302
    # then the number is on Siti's record and her account can apply online
    siti = User.objects.get(pk=applicant.pk)
    assert siti.person is not None
    assert siti.person.nik_index == nik_index(VICTIM_NIK)
    assert siti.person.full_name == "Siti Rahmawati"
    applied = client_for(siti).post(
        "/api/v1/applications",
        {"service": "passport-ordinary-5y", "office": "ulp-liwa"},
        content_type="application/json",
    )
    assert applied.status_code == 201, applied.content
    # and the squatter lost it: no identity, the draft gone, a mail saying why
    squatter = User.objects.get(pk=squatted.pk)
    assert squatter.person is None
    assert put_identity(client_for(squatter), VICTIM_NIK).status_code == 200  # a new claim
    assert not squatter.applications.filter(status="draft").exists()
    run_jobs()
    to = {message.to[0]: message for message in mail.outbox}
    assert "dikonfirmasi" in to[applicant.email].body
    assert "0002" in to[squatter.email].body
    assert VICTIM_NIK not in to[squatter.email].body
    # and a staff look-up by the number finds Siti's record
    found = desk.post(
        "/api/v1/people/lookup",
        {"nik": VICTIM_NIK, "purpose": "Memeriksa hasil sengketa NIK"},
        content_type="application/json",
    )
    assert found.json()["full_name"] == "Siti Rahmawati"
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (IdentityClaim.Status.CONFIRMED, officer)


@pytest.mark.django_db(transaction=True)  # the worker sends the mails
def test_an_officer_rejects_a_claim_and_the_holder_keeps_the_number(
    client_for, squatted, applicant, officer, run_jobs
):
    # given a claim at Liwa on a number that is not the claimant's
    put_identity(client_for(applicant), VICTIM_NIK)
    claim = _claim_at_liwa(client_for, applicant)
    # when the officer, having seen the documents, rejects it
    response = client_for(officer).post(
        f"/api/v1/office/identity-claims/{claim.public_id}/reject",
        {"note": "KTP yang dibawa tidak cocok dengan NIK ini"},
        content_type="application/json",
    )
    # then the claim is closed, the holder keeps the number, and both accounts are told
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rejected"
    assert Person.objects.get(nik_index=nik_index(VICTIM_NIK)).account == squatted
    assert User.objects.get(pk=applicant.pk).person is None
    run_jobs()
    to = {message.to[0]: message for message in mail.outbox}
    assert to.keys() == {applicant.email, squatted.email}
    assert "tidak dapat memastikan" in to[applicant.email].body
    assert "0002" in to[squatted.email].body
    assert VICTIM_NIK not in to[squatted.email].body + to[applicant.email].body
    # and deciding again changes nothing
    again = client_for(officer).post(
        f"/api/v1/office/identity-claims/{claim.public_id}/confirm",
        {"note": "Salah klik, coba konfirmasi"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "identity_claim_decided"


def test_a_wrong_number_can_be_corrected_while_it_waits(client_for, squatted, applicant):
    # given a pending claim on a number on file (a typo, say)
    put_identity(client_for(applicant), VICTIM_NIK)
    # when the applicant corrects it to her own, free number
    put_identity(client_for(applicant), FREE_NIK)
    # then the number is hers, the first claim is withdrawn, and one record exists for her
    person = User.objects.get(pk=applicant.pk).person
    assert person.nik == FREE_NIK
    statuses = sorted(IdentityClaim.objects.filter(account=applicant).values_list("status"))
    assert statuses == [("recorded",), ("withdrawn",)]
    assert Person.objects.count() == 2  # hers and the squatter's


def test_a_number_on_a_record_without_an_account_joins_that_record(client_for, applicant, officer):
    # given a record the office made (no account holds it)
    from simi.people.services import PersonData, person_create

    office_record = person_create(
        actor=None, data=PersonData(kind="citizen", full_name="Siti Rahmawati", nik=VICTIM_NIK)
    )
    # when Siti records that NIK and the officer confirms it
    put_identity(client_for(applicant), VICTIM_NIK)
    claim = _claim_at_liwa(client_for, applicant)
    response = client_for(officer).post(
        f"/api/v1/office/identity-claims/{claim.public_id}/confirm",
        {"note": "e-KTP asli diperiksa di loket"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    # then her account is joined to the office's record, and no second record is left
    assert User.objects.get(pk=applicant.pk).person == office_record
    assert Person.objects.count() == 1


# --- who sees a claim --------------------------------------------------------


def test_another_offices_officer_cannot_see_or_decide_a_claim(
    client_for, squatted, applicant, outsider
):
    # given a claim at Liwa
    put_identity(client_for(applicant), VICTIM_NIK)
    claim = _claim_at_liwa(client_for, applicant)
    elsewhere = client_for(outsider)
    # then an officer of another office sees none of it
    assert elsewhere.get("/api/v1/office/identity-claims").json()["items"] == []
    assert str(claim.public_id) not in elsewhere.get("/kantor/identitas/").content.decode()
    assert elsewhere.get(f"/kantor/identitas/{claim.public_id}/").status_code == 404
    assert elsewhere.get(f"/api/v1/office/identity-claims/{claim.public_id}").status_code == 404
    decided = elsewhere.post(
        f"/api/v1/office/identity-claims/{claim.public_id}/confirm",
        {"note": "Mencoba dari kantor lain"},
        content_type="application/json",
    )
    assert decided.status_code == 404
    claim.refresh_from_db()
    assert claim.status == IdentityClaim.Status.PENDING


def test_a_claim_without_an_office_waits_for_the_applicant_to_choose_one(
    client_for, squatted, applicant, officer, supervisor
):
    # given a claim whose applicant has not chosen an office yet
    put_identity(client_for(applicant), VICTIM_NIK)
    # then no office's queue shows it
    for staff in (officer, supervisor):
        assert client_for(staff).get("/api/v1/office/identity-claims").json()["items"] == []
    # and the applicant's API tells her to choose
    mine = client_for(applicant).get("/api/v1/me/identity").json()
    assert mine["identity"] is None
    assert [(c["number"], c["number_last4"], c["office"]) for c in mine["claims"]] == [
        ("nik", "0002", None)
    ]
    chosen = client_for(applicant).put(
        f"/api/v1/me/identity/claims/{mine['claims'][0]['id']}",
        {"office": "ulp-liwa"},
        content_type="application/json",
    )
    assert chosen.status_code == 200
    assert chosen.json()["office"] == "ulp-liwa"
    assert len(client_for(officer).get("/api/v1/office/identity-claims").json()["items"]) == 1
