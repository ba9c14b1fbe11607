"""The right of access: a machine-readable copy of everything SIMI holds on you."""

import json

import pytest

from simi.accounts.services import api_token_create
from simi.audit.models import AuditEntry
from simi.people.selectors import person_lookup
from simi.privacy.schemas import PersonalDataExportOut
from simi.privacy.tests.conftest import ANI_NIK, BUDI_NIK

pytestmark = pytest.mark.django_db


def _download(client):
    response = client.get("/akun/data-pribadi/unduh/")
    assert response.status_code == 200
    return response, json.loads(b"".join(response.streaming_content))


def test_the_copy_holds_the_decrypted_identity_and_nothing_of_other_people(
    client_for, applicant, other_applicant, ani_person, budi_person, submit
):
    # given two applicants with identity records, tokens and requests
    submit(applicant, details="Tolong perbaiki alamat saya.")
    submit(other_applicant, details="Rahasia milik Budi.")
    _row, secret = api_token_create(actor=applicant, name="Ponsel Ani", scopes=["profile"], days=5)
    api_token_create(actor=other_applicant, name="Ponsel Budi", scopes=["profile"], days=5)
    # when Ani downloads her copy
    response, document = _download(client_for(applicant))
    # then it is an attachment that is never cached
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    # and it holds her decrypted identity, her token's metadata and her request
    PersonalDataExportOut.model_validate(document)
    assert document["account"]["email"] == applicant.email
    assert document["person"]["nik"] == ANI_NIK
    assert document["person"]["full_name"] == "Ani Uji Privasi"
    assert [t["name"] for t in document["api_tokens"]] == ["Ponsel Ani"]
    assert [r["details"] for r in document["requests"]] == ["Tolong perbaiki alamat saya."]
    # and nothing of Budi, and no token secret
    text = json.dumps(document)
    for foreign in (BUDI_NIK, "Budi", other_applicant.email, str(budi_person.public_id)):
        assert foreign not in text
    assert secret.split("_", 2)[2] not in text
    assert "digest" not in text


def test_the_copy_lists_the_audit_trail_about_the_person(
    client_for, applicant, ani_person, officer, budi_person, submit
):
    # given an officer who looked Ani up, and also Budi
    person_lookup(actor=officer, purpose="Verifikasi berkas di loket", nik=ANI_NIK)
    person_lookup(actor=officer, purpose="Pemeriksaan berkas Budi", nik=BUDI_NIK)
    _response, document = _download(client_for(applicant))
    entries = document["audit_entries"]
    lookups = [e for e in entries if e["action"] == "people.person_looked_up"]
    # then Ani sees who (by role) looked her up and why, but not Budi's look-up
    assert len(lookups) == 1
    assert lookups[0]["actor_role"] == "front_desk"
    assert lookups[0]["purpose"] == "Verifikasi berkas di loket"
    assert lookups[0]["object_id"] == str(ani_person.public_id)
    assert "Pemeriksaan berkas Budi" not in json.dumps(document)
    # and the download itself is on record
    assert AuditEntry.objects.filter(action="privacy.access_exported", actor=applicant).exists()
    assert any(e["action"] == "privacy.access_exported" for e in entries)


def test_a_staff_members_own_copy_hides_the_people_they_looked_up(client_for, officer, budi_person):
    person_lookup(actor=officer, purpose="Pemeriksaan berkas Budi", nik=BUDI_NIK)
    _response, document = _download(client_for(officer))
    lookup = next(e for e in document["audit_entries"] if e["action"] == "people.person_looked_up")
    assert lookup["by_you"] is True
    assert lookup["object_id"] is None
    assert lookup["purpose"] is None
    assert document["person"] is None


def test_an_access_request_completes_at_once_and_the_api_gives_the_copy(
    client, applicant, ani_person
):
    _row, token = api_token_create(actor=applicant, name="uji", scopes=["profile"], days=1)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    made = client.post(
        "/api/v1/privacy/requests", {"kind": "access"}, content_type="application/json", **headers
    )
    assert made.status_code == 201
    assert made.json()["status"] == "completed"
    response = client.get("/api/v1/privacy/export", **headers)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    document = json.loads(b"".join(response.streaming_content))
    assert document["person"]["nik"] == ANI_NIK
    assert document["requests"][0]["kind"] == "access"


def test_the_copy_needs_a_signed_in_user(client):
    assert client.get("/akun/data-pribadi/unduh/").status_code == 302
    assert client.get("/api/v1/privacy/export").status_code == 401


def test_the_copy_holds_the_mobile_number_and_the_chosen_channels(client_for, applicant):
    # given Ani verified her number and chose SMS
    from django.utils import timezone

    from simi.accounts.models import AccountPhone
    from simi.accounts.phones import mobile_index

    AccountPhone.objects.create(
        account=applicant,
        number="+6281234567890",
        number_index=mobile_index("+6281234567890"),
        verified_at=timezone.now(),
    )
    client = client_for(applicant)
    client.post("/akun/notifikasi/", {"channels": ["sms"]})
    # when she downloads her copy, then both are in it
    _response, document = _download(client)
    assert document["account"]["mobile_number"] == "+6281234567890"
    assert document["account"]["notification_channels"] == ["sms"]
