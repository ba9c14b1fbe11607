"""An applicant keeps the family members they apply for at /akun/keluarga/."""

import pytest
from django.db import connection

from simi.accounts.models import HouseholdMember
from simi.audit.models import AuditEntry
from simi.people.models import Person

pytestmark = pytest.mark.django_db

HOLDER = {"kind": "citizen", "full_name": "Siti Rahmawati", "nik": "1804045708950002"}
# Synthetic NIKs of the same kecamatan: three children, a husband, a mother, a brother.
CHILDREN = [
    {"kind": "citizen", "full_name": "Bima Pratama", "nik": "1804041505150003"},
    {"kind": "citizen", "full_name": "Citra Lestari", "nik": "1804045203180004"},
    {"kind": "citizen", "full_name": "Dewi Anjani", "nik": "1804046109200005"},
]
ADULTS = [
    ({"kind": "citizen", "full_name": "Agus Pratama", "nik": "1804041203900006"}, "spouse"),
    ({"kind": "citizen", "full_name": "Rukmini", "nik": "1804045506600007"}, "parent"),
    ({"kind": "citizen", "full_name": "Joko Susilo", "nik": "1804040101930008"}, "sibling"),
]


def _add(client, data, relationship="child"):
    return client.post("/akun/keluarga/tambah/", {**data, "relationship": relationship})


@pytest.fixture
def holder_client(client_for, applicant):
    client = client_for(applicant)
    assert client.post("/akun/identitas/", HOLDER).status_code == 302
    return client


def test_it_explains_what_the_family_page_is_for_when_it_is_empty(holder_client):
    # when the applicant opens the family page before adding anyone
    page = holder_client.get("/akun/keluarga/").content.decode()
    # then it says what it is for and offers to add someone (Indonesian by default)
    assert "Anda belum menambahkan anggota keluarga" in page
    assert "/akun/keluarga/tambah/" in page
    # and the account page links to it
    assert "/akun/keluarga/" in holder_client.get("/akun/").content.decode()


def test_it_shows_the_family_page_in_english(holder_client):
    holder_client.cookies["django_language"] = "en"
    page = holder_client.get("/akun/keluarga/").content.decode()
    assert "You have not added any family members yet." in page


def test_it_keeps_six_family_members_each_with_an_encrypted_record(holder_client, applicant):
    # when the applicant adds three children and three adults
    for child in CHILDREN:
        assert _add(holder_client, child).status_code == 302
    for adult, relationship in ADULTS:
        assert _add(holder_client, adult, relationship).status_code == 302
    # then all six are listed with their relationship, each their own record
    page = holder_client.get("/akun/keluarga/").content.decode()
    for data in [*CHILDREN, *(adult for adult, _r in ADULTS)]:
        assert data["full_name"] in page
    members = HouseholdMember.objects.filter(account=applicant)
    assert members.count() == 6
    child = members.get(person__nik_index__isnull=False, relationship="child", id=members[0].id)
    # the NIK gave the birth date and sex, as on the identity page
    assert (str(child.person.birth_date), child.person.sex) == ("2015-05-15", "M")
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik FROM core_person WHERE id = %s", [child.person_id])
        assert CHILDREN[0]["nik"] not in cursor.fetchone()[0]
    assert AuditEntry.objects.filter(action="accounts.household_member_added").count() == 6


def test_it_refuses_an_eleventh_member_with_a_clear_message(holder_client, applicant):
    # given ten members
    for n in range(10):
        nik = f"18040415051500{n + 10:02d}"
        assert (
            _add(
                holder_client, {"kind": "citizen", "full_name": f"Anak {n}", "nik": nik}
            ).status_code
            == 302
        )
    # when the applicant adds one more
    response = _add(
        holder_client, {"kind": "citizen", "full_name": "Anak X", "nik": "1804041505150099"}
    )
    # then it is refused with the limit named, and the page no longer offers to add
    assert response.status_code == 409
    assert "paling banyak 10 anggota keluarga" in response.content.decode()
    assert HouseholdMember.objects.filter(account=applicant).count() == 10
    assert "/akun/keluarga/tambah/" not in holder_client.get("/akun/keluarga/").content.decode()


def test_it_refuses_the_holders_own_nik_and_a_members_nik_again(holder_client):
    # when the applicant enters their own NIK for a member
    own = _add(holder_client, {**CHILDREN[0], "nik": HOLDER["nik"]})
    # then the field says so
    assert own.status_code == 422
    assert "NIK ini milik Anda sendiri" in own.content.decode()
    # and a member's NIK may not be used for a second member
    assert _add(holder_client, CHILDREN[0]).status_code == 302
    again = _add(holder_client, {**CHILDREN[1], "nik": CHILDREN[0]["nik"]})
    assert again.status_code == 422
    assert "sudah milik anggota keluarga lain" in again.content.decode()


def test_it_validates_a_member_like_the_identity_form(holder_client):
    # a NIK with an impossible birth date, and a foreigner without a passport
    bad_nik = _add(holder_client, {**CHILDREN[0], "nik": "1804043102850001"})
    assert bad_nik.status_code == 422
    assert "Tanggal lahir dalam NIK bukan tanggal yang sah." in bad_nik.content.decode()
    foreigner = _add(
        holder_client,
        {"kind": "foreigner", "full_name": "Anna Keller", "nationality": "DEU"},
        "spouse",
    )
    assert foreigner.status_code == 422
    assert not HouseholdMember.objects.exists()


def test_it_audits_a_correction_by_field_names(holder_client, applicant):
    # given a member
    _add(holder_client, CHILDREN[0])
    member = HouseholdMember.objects.get(account=applicant)
    # when the applicant corrects the name and the relationship
    response = holder_client.post(
        f"/akun/keluarga/{member.public_id}/",
        {**CHILDREN[0], "full_name": "Bima Pratama Putra", "relationship": "sibling"},
    )
    # then the member is changed and the audit names the fields only
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.person.full_name, member.relationship) == ("Bima Pratama Putra", "sibling")
    entry = AuditEntry.objects.get(action="accounts.household_member_updated")
    assert entry.data["fields"] == ["full_name", "relationship"]
    assert "Bima" not in str(entry.data)


def test_it_removes_a_member_and_their_record(holder_client, applicant):
    _add(holder_client, CHILDREN[0])
    member = HouseholdMember.objects.get(account=applicant)
    response = holder_client.post(f"/akun/keluarga/{member.public_id}/hapus/")
    assert response.status_code == 302
    assert not HouseholdMember.objects.exists()
    assert not Person.objects.filter(pk=member.person_id).exists()
    assert AuditEntry.objects.filter(action="accounts.household_member_removed").count() == 1


def test_someone_elses_member_is_not_found(holder_client, client_for, other_applicant, applicant):
    # given the applicant's member
    _add(holder_client, CHILDREN[0])
    member = HouseholdMember.objects.get(account=applicant)
    # then another applicant can neither open, change nor remove it
    other = client_for(other_applicant)
    assert other.get(f"/akun/keluarga/{member.public_id}/").status_code == 404
    changed = other.post(
        f"/akun/keluarga/{member.public_id}/", {**CHILDREN[0], "relationship": "child"}
    )
    assert changed.status_code == 404
    assert other.post(f"/akun/keluarga/{member.public_id}/hapus/").status_code == 404
    assert HouseholdMember.objects.filter(pk=member.pk).exists()


def test_staff_have_no_family_page(client_for, officer):
    assert client_for(officer).get("/akun/keluarga/").status_code == 403
