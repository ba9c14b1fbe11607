"""An applicant applies for household members: each application carries the
member's identity record, a child's passport needs the parent's or guardian's
documents, and My applications shows each person's applications together."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from simi.accounts.household.services import household_member_add
from simi.accounts.models import HouseholdMember
from simi.applications.models import Application
from simi.applications.services import application_create
from simi.applications.tests.complete import DECLARED, FAMILY_CARD_NUMBER
from simi.applications.tests.conftest import API, post_json
from simi.applications.tests.files import png_bytes
from simi.audit.models import AuditEntry
from simi.people.services import PersonData

pytestmark = pytest.mark.django_db

CHILD = PersonData(kind="citizen", full_name="Bima Pratama", nik="1804041505150003")
SPOUSE = PersonData(kind="citizen", full_name="Agus Pratama", nik="1804041203900006")
SIBLING_CHILD = PersonData(kind="citizen", full_name="Citra Lestari", nik="1804045203180004")
GUARDIAN_CODES = ["ktp-orang-tua", "akta-perkawinan-orang-tua", "akta-kelahiran"]


@pytest.fixture
def child(ani) -> HouseholdMember:
    return household_member_add(actor=ani, relationship="child", data=CHILD)


@pytest.fixture
def spouse(ani) -> HouseholdMember:
    return household_member_add(actor=ani, relationship="spouse", data=SPOUSE)


def _new_page_post(client, **fields):
    body = {"service": "passport-ordinary-5y", "office": "ulp-liwa", **fields}
    return client.post("/permohonan/baru/", body)


def _upload(client, app, code):
    response = client.post(
        f"{API}/applications/{app.public_id}/documents",
        {"requirement_code": code, "file": SimpleUploadedFile(f"{code}.png", png_bytes((24, 18)))},
    )
    assert response.status_code == 201, response.content


def test_it_asks_for_whom_and_makes_the_draft_for_the_member(ani, child, spouse, client_for):
    client = client_for(ani)
    # when the account has members, the form asks for whom, listing each
    page = client.get("/permohonan/baru/").content.decode()
    assert "Untuk siapa permohonan ini?" in page
    assert "Bima Pratama (Anak)" in page
    assert "Agus Pratama (Suami atau istri)" in page
    # and a draft for the child carries the child's identity record
    response = _new_page_post(client, applies_for=str(child.public_id))
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.person_id == child.person_id
    assert app.applicant_id == ani.pk
    # the application page says whose it is
    detail = client.get(response["Location"]).content.decode()
    assert "Bima Pratama (Anak)" in detail
    entry = AuditEntry.objects.get(action="applications.created")
    assert entry.data["member"] == str(child.public_id)


def test_it_makes_the_holders_own_draft_when_me_is_chosen(ani, child, client_for):
    response = _new_page_post(client_for(ani), applies_for="me")
    assert response.status_code == 302
    assert Application.objects.get().person_id == ani.person_id


def test_an_account_without_members_is_not_asked_for_whom(ani, client_for):
    page = client_for(ani).get("/permohonan/baru/").content.decode()
    assert "Untuk siapa permohonan ini?" not in page


def test_someone_elses_member_cannot_be_applied_for(ani, budi, client_for):
    # given Budi's child
    theirs = household_member_add(actor=budi, relationship="child", data=CHILD)
    # when Ani names it through the API
    response = post_json(
        client_for(ani),
        f"{API}/applications",
        {"service": "passport-ordinary-5y", "office": "ulp-liwa", "member": str(theirs.public_id)},
    )
    # then it is refused as unknown, and no draft is made
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "member_unknown"
    assert "member" in response.json()["error"]["fields"]
    assert not Application.objects.exists()


def test_a_childs_passport_needs_the_parents_documents_before_submission(ani, child, client_for):
    # given a passport draft for Ani's 11-year-old child, made through the API
    client = client_for(ani)
    client.cookies["django_language"] = "en"
    created = post_json(
        client,
        f"{API}/applications",
        {"service": "passport-ordinary-5y", "office": "ulp-liwa", "member": str(child.public_id)},
    )
    assert created.status_code == 201, created.content
    assert created.json()["member"] == str(child.public_id)
    app = Application.objects.get()
    # when it is submitted with nothing added
    refused = post_json(client, f"{API}/applications/{app.public_id}/submit", DECLARED)
    # then the parent's documents are missing in place of the child's own e-KTP and
    # "one civil record"; no guardian's statement, since the parent applies
    assert refused.status_code == 409
    missing = [m["item"] for m in refused.json()["error"]["missing"] if m["kind"] == "document"]
    assert missing == [
        "ktp-orang-tua",
        "kartu-keluarga",
        "akta-kelahiran",
        "akta-perkawinan-orang-tua",
    ]
    labels = [m["label"] for m in refused.json()["error"]["missing"]]
    assert (
        "Electronic identity card (e-KTP) of the father or the mother, or of the guardian" in labels
    )
    # and the application page lists them with the case they are asked in
    page = client.get(f"/permohonan/{app.public_id}/").content.decode()
    assert "The child&#x27;s birth certificate" in page
    assert "For an applicant under 17" in page
    # when the documents are uploaded and the family card number given, it goes through
    for code in missing:
        _upload(client, app, code)
    details = client.put(
        f"{API}/applications/{app.public_id}/details",
        data={"family_card_number": FAMILY_CARD_NUMBER},
        content_type="application/json",
    )
    assert details.status_code == 200, details.content
    submitted = post_json(client, f"{API}/applications/{app.public_id}/submit", DECLARED)
    assert submitted.status_code == 200, submitted.content


def test_a_child_applied_for_by_a_sibling_needs_the_guardians_statement(ani, client_for):
    # given a young sister recorded as a sibling: the applicant is not her parent
    sister = household_member_add(actor=ani, relationship="sibling", data=SIBLING_CHILD)
    app = application_create(
        actor=ani,
        service_code="passport-ordinary-5y",
        office_code="ulp-liwa",
        member_id=sister.public_id,
    )
    # when the draft is submitted, the guardian's statement is among the missing (Indonesian)
    refused = post_json(client_for(ani), f"{API}/applications/{app.public_id}/submit", DECLARED)
    missing = {m["item"]: m["label"] for m in refused.json()["error"]["missing"]}
    assert missing["surat-pernyataan-wali"] == "Surat pernyataan dari wali"


def test_an_adult_members_passport_needs_the_usual_documents(ani, spouse, client_for):
    app = application_create(
        actor=ani,
        service_code="passport-ordinary-5y",
        office_code="ulp-liwa",
        member_id=spouse.public_id,
    )
    refused = post_json(client_for(ani), f"{API}/applications/{app.public_id}/submit", DECLARED)
    missing = [m["item"] for m in refused.json()["error"]["missing"] if m["kind"] == "document"]
    assert missing == ["e-ktp", "kartu-keluarga", "civil-record"]


def test_check_your_answers_names_the_family_member(ani, child, client_for):
    app = application_create(
        actor=ani,
        service_code="passport-ordinary-5y",
        office_code="ulp-liwa",
        member_id=child.public_id,
    )
    client = client_for(ani)
    page = client.get(f"/permohonan/{app.public_id}/periksa/").content.decode()
    assert "Untuk anggota keluarga Anda Bima Pratama (Anak)" in page
    assert f"/akun/keluarga/{child.public_id}/" in page
    client.cookies["django_language"] = "en"
    page = client.get(f"/permohonan/{app.public_id}/periksa/").content.decode()
    assert "For your family member Bima Pratama (Child)" in page


def test_my_applications_groups_by_person_holder_first(ani, child, spouse, client_for):
    # given applications for the spouse, the holder and the child, in that order
    for member_id in (spouse.public_id, None, child.public_id):
        application_create(
            actor=ani,
            service_code="passport-ordinary-5y",
            office_code="ulp-liwa",
            member_id=member_id,
        )
    # when Ani opens My applications
    page = client_for(ani).get("/permohonan/").content.decode()
    # then her own come first, then each member in the order they were added
    own = page.index("Permohonan saya sendiri")
    bima = page.index("Bima Pratama (Anak)")
    agus = page.index("Agus Pratama (Suami atau istri)")
    assert own < bima < agus
    # and the API says whose each one is
    listed = client_for(ani).get(f"{API}/applications").json()["items"]
    assert sorted(str(item["member"]) for item in listed) == sorted(
        [str(spouse.public_id), "None", str(child.public_id)]
    )


def test_a_member_with_an_application_is_not_removed(ani, child, client_for):
    application_create(
        actor=ani,
        service_code="passport-ordinary-5y",
        office_code="ulp-liwa",
        member_id=child.public_id,
    )
    client = client_for(ani)
    response = client.post(f"/akun/keluarga/{child.public_id}/hapus/", follow=True)
    assert "Anggota keluarga ini memiliki permohonan" in response.content.decode()
    assert HouseholdMember.objects.filter(pk=child.pk).exists()


def test_apply_on_the_family_page_chooses_the_member(ani, child, client_for):
    client = client_for(ani)
    # the family page offers to apply for each member
    family = client.get("/akun/keluarga/").content.decode()
    link = f"/permohonan/baru/?for={child.public_id}"
    assert link in family
    # and the form opens with that member chosen
    form = client.get(link).content.decode()
    [chosen] = re.findall(r'<input type="radio" name="applies_for"[^>]*checked[^>]*>', form)
    assert f'value="{child.public_id}"' in chosen
