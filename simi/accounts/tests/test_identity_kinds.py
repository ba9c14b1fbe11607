"""The identity form asks each kind of person only what applies to them: a
citizen's sex and birth date come from the NIK, a foreign national picks a
nationality by name, and the other kind's fields are neither required nor
stored (issue 14, the identity form's wrong defaults)."""

import re
from datetime import date

import pytest

from simi.accounts.models import User

pytestmark = pytest.mark.django_db

SITI_NIK = "1804045708950002"  # a woman (day 57 = 17 + 40), born 17 Aug 1995
ANNA = {"kind": "foreigner", "full_name": "Anna Keller", "passport_number": "C01X00T47"}


def in_english(client):
    client.cookies["django_language"] = "en"
    return client


def option_value(page: str, name: str) -> str:
    found = re.search(r'<option value="([A-Z]{3})"[^>]*>' + re.escape(name) + "</option>", page)
    assert found, f"no option named {name}"
    return found.group(1)


def test_it_reads_a_citizens_sex_and_birth_date_from_the_nik(client_for, applicant):
    client = in_english(client_for(applicant))
    # given the identity page asks a citizen for the NIK only
    page = client.get("/akun/identitas/").content.decode()
    assert "If you are an Indonesian citizen" in page
    assert "If you are a foreign national" in page
    # when she saves her NIK, with a sex and birth date left over from the other group
    response = client.post(
        "/akun/identitas/",
        {
            "kind": "citizen",
            "full_name": "Siti Rahmawati",
            "nik": SITI_NIK,
            "sex": "M",
            "birth_date": "2001-01-01",
            "nationality": "DEU",
            "passport_number": "C01X00T47",
        },
    )
    # then the record holds the NIK's sex and birth date, and nothing of the other group
    assert response.status_code == 302
    person = User.objects.get(pk=applicant.pk).person
    assert (person.sex, person.birth_date) == ("F", date(1995, 8, 17))
    assert (person.nationality, person.passport_number) == ("IDN", None)
    # and the page shows them, read-only, from the NIK
    page = client.get("/akun/identitas/").content.decode()
    assert "Birth date (from your NIK)" in page
    assert "Female" in page


def test_it_refuses_a_nik_whose_birth_date_is_impossible(client_for, applicant):
    # when the NIK's date part says 31 February 1985
    response = in_english(client_for(applicant)).post(
        "/akun/identitas/",
        {"kind": "citizen", "full_name": "Siti Rahmawati", "nik": "1804043102850001"},
    )
    # then the NIK field says so, and nothing is stored
    assert response.status_code == 422
    page = response.content.decode()
    assert re.search(r'id="id_nik_error">The birth date inside the NIK is not a real date', page)
    assert User.objects.get(pk=applicant.pk).person is None


@pytest.mark.parametrize(("language", "name"), [("id", "Jerman"), ("en", "Germany")])
def test_a_foreigner_picks_a_nationality_by_name_stored_as_its_code(
    client_for, applicant, language, name
):
    client = client_for(applicant)
    client.cookies["django_language"] = language
    # given the nationality list names the countries in the page's language
    page = client.get("/akun/identitas/").content.decode()
    code = option_value(page, name)
    assert '<option value="IDN"' not in page  # a foreign national is not Indonesian
    # when she picks Germany, with a NIK left in the citizen group
    response = client.post(
        "/akun/identitas/",
        {**ANNA, "nationality": code, "sex": "F", "birth_date": "1990-05-04", "nik": "garbage"},
    )
    # then the code is stored, the NIK is neither checked nor stored
    assert response.status_code == 302
    person = User.objects.get(pk=applicant.pk).person
    assert (person.nationality, person.nik, person.sex) == ("DEU", None, "F")
    assert person.birth_date == date(1990, 5, 4)


def test_a_foreigner_must_choose_a_nationality(client_for, applicant):
    response = in_english(client_for(applicant)).post("/akun/identitas/", ANNA)
    assert response.status_code == 422
    assert 'id="id_nationality_error">Choose your nationality.' in response.content.decode()


def test_a_citizen_need_not_answer_the_foreigner_fields(client_for, applicant):
    # a malformed birth date in the foreigner group does not stop a citizen
    response = client_for(applicant).post(
        "/akun/identitas/",
        {"kind": "citizen", "full_name": "Siti Rahmawati", "nik": SITI_NIK, "birth_date": "x"},
    )
    assert response.status_code == 302


def test_the_api_reads_a_citizens_sex_and_birth_date_from_the_nik(client_for, applicant):
    client = client_for(applicant)
    # when a citizen records only her NIK through the API
    put = client.put(
        "/api/v1/me/identity",
        {"kind": "citizen", "full_name": "Siti Rahmawati", "nik": SITI_NIK},
        content_type="application/json",
    )
    # then both answers carry the NIK's sex and birth date
    assert put.status_code == 200
    assert (put.json()["sex"], put.json()["birth_date"]) == ("F", "1995-08-17")
    got = client.get("/api/v1/me/identity").json()["identity"]
    assert (got["sex"], got["birth_date"], got["nationality"]) == ("F", "1995-08-17", "IDN")


def test_the_api_refuses_an_impossible_nik_date(client_for, applicant):
    response = client_for(applicant).put(
        "/api/v1/me/identity",
        {"kind": "citizen", "full_name": "Siti Rahmawati", "nik": "1804043102850001"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "nik" in response.json()["error"]["fields"]
    assert User.objects.get(pk=applicant.pk).person is None


def test_the_api_does_not_store_a_foreigners_nik(client_for, applicant):
    client = client_for(applicant)
    response = client.put(
        "/api/v1/me/identity",
        {**ANNA, "nationality": "DEU", "nik": SITI_NIK, "birth_date": "1990-05-04"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["nik_last4"] is None
    person = User.objects.get(pk=applicant.pk).person
    assert (person.nationality, person.nik) == ("DEU", None)
