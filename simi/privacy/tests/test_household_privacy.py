"""Household members in the access copy and in the erasure of the account."""

import json

import pytest

from simi.accounts.household.services import household_member_add
from simi.accounts.models import HouseholdMember
from simi.audit.models import AuditEntry
from simi.people.models import Person
from simi.people.services import PersonData
from simi.privacy.schemas import PersonalDataExportOut
from simi.privacy.services import dsr_complete

pytestmark = pytest.mark.django_db

CHILD = PersonData(kind="citizen", full_name="Bima Uji Privasi", nik="1804041505150003")


def test_the_copy_lists_the_household_members_with_their_records(
    client_for, applicant, other_applicant, ani_person
):
    # given Ani's child, and Budi's own family member
    member = household_member_add(actor=applicant, relationship="child", data=CHILD)
    household_member_add(
        actor=other_applicant,
        relationship="spouse",
        data=PersonData(kind="citizen", full_name="Istri Budi", nik="1804045203180004"),
    )
    # when Ani downloads her copy
    response = client_for(applicant).get("/akun/data-pribadi/unduh/")
    document = json.loads(b"".join(response.streaming_content))
    # then her child is in it, decrypted, with the audit entries about the member
    PersonalDataExportOut.model_validate(document)
    [listed] = document["household_members"]
    assert listed["id"] == str(member.public_id)
    assert listed["relationship"] == "child"
    assert (listed["person"]["full_name"], listed["person"]["nik"]) == (
        "Bima Uji Privasi",
        CHILD.nik,
    )
    ids = {e["object_id"] for e in document["audit_entries"]}
    assert str(member.public_id) in ids
    assert str(member.person.public_id) in ids
    # and nothing of Budi's family
    assert "Istri Budi" not in json.dumps(document)


def test_erasing_the_account_erases_its_household(applicant, admin_user, ani_person, submit):
    member = household_member_add(actor=applicant, relationship="child", data=CHILD)
    dsr = submit(applicant, kind="erasure", details="Hapus semua data saya.")
    dsr_complete(actor=admin_user, public_id=dsr.public_id, note="")
    assert not HouseholdMember.objects.filter(pk=member.pk).exists()
    assert not Person.objects.filter(pk=member.person_id).exists()
    assert AuditEntry.objects.filter(
        action="accounts.household_member_removed", object_id=str(member.public_id)
    ).exists()
