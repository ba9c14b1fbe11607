"""An applicant records their identity data; it is stored encrypted."""

import pytest
from django.db import connection

from simi.accounts.models import User
from simi.people.models import Person

pytestmark = pytest.mark.django_db

CITIZEN = {
    "kind": "citizen",
    "full_name": "Siti Rahmawati",
    "nik": "1804045708950002",
    "phone": "0812 3456 7890",
}


def test_an_applicant_saves_and_corrects_their_identity(client_for, applicant):
    client = client_for(applicant)
    response = client.post("/akun/identitas/", CITIZEN)
    assert response.status_code == 302
    person = User.objects.get(pk=applicant.pk).person
    assert (person.nik, person.sex, person.phone) == ("1804045708950002", "F", "081234567890")
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik FROM core_person WHERE id = %s", [person.pk])
        assert "1804045708950002" not in cursor.fetchone()[0]
    # the form shows the saved values again, and a correction updates the same record
    assert "1804045708950002" in client.get("/akun/identitas/").content.decode()
    client.post("/akun/identitas/", {**CITIZEN, "full_name": "Siti Rahmawati Putri"})
    assert Person.objects.count() == 1
    assert Person.objects.get().full_name == "Siti Rahmawati Putri"


def test_a_wrong_nik_is_explained_next_to_the_field(client_for, applicant):
    response = client_for(applicant).post(
        "/akun/identitas/", {**CITIZEN, "nik": "1804043102850001"}
    )
    assert response.status_code == 422
    assert "Tanggal lahir dalam NIK bukan tanggal yang sah." in response.content.decode()
    assert not Person.objects.exists()


def test_a_nik_already_registered_to_someone_else_waits_for_a_check(
    client_for, applicant, other_applicant
):
    # given another account holds the NIK
    client_for(other_applicant).post("/akun/identitas/", CITIZEN)
    # when the applicant records it too
    response = client_for(applicant).post("/akun/identitas/", CITIZEN)
    # then the page answers as for a free number (no 409 that says who is on
    # file), but the account cannot apply with it until an officer checks it
    assert response.status_code == 302
    assert User.objects.get(pk=applicant.pk).person is None
    assert User.objects.get(pk=other_applicant.pk).person.nik == CITIZEN["nik"]


def test_a_foreigner_needs_a_passport(client_for, applicant):
    response = client_for(applicant).post(
        "/akun/identitas/", {"kind": "foreigner", "full_name": "Anna Keller", "nationality": "DEU"}
    )
    assert response.status_code == 422
    ok = client_for(applicant).post(
        "/akun/identitas/",
        {
            "kind": "foreigner",
            "full_name": "Anna Keller",
            "nationality": "DEU",
            "passport_number": "C01X00T47",
        },
    )
    assert ok.status_code == 302


def test_staff_have_no_identity_page(client_for, officer):
    assert client_for(officer).get("/akun/identitas/").status_code == 403
