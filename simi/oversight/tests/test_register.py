import pytest
from django.urls import reverse
from django.utils import translation

from simi.audit.models import AuditEntry
from simi.core.errors import Conflict, ValidationFailed
from simi.oversight.models import Foreigner
from simi.oversight.register.services import foreigner_register

from .conftest import make_permit, passport_mrz

pytestmark = pytest.mark.django_db


def _break_check_digit(text: str, position: int) -> str:
    line1, line2 = text.split("\n")
    digit = str((int(line2[position - 1]) + 1) % 10)
    return line1 + "\n" + line2[: position - 1] + digit + line2[position:]


def test_it_registers_a_foreigner_from_the_mrz_with_encrypted_identity(foreigner):
    person = foreigner.person
    assert (person.full_name, person.nationality, person.sex) == ("TESANU VOLAKI", "AUS", "F")
    document = foreigner.travel_documents.get()
    assert document.number == "X12345678"
    assert document.issuing_state == "AUS"
    assert str(document.expiry_date) == "2031-05-01"


def test_a_wrong_check_digit_is_a_field_error_naming_the_digit(oversight, kotabumi):
    # given the MRZ with a wrong document-number check digit (line 2, position 10)
    text = _break_check_digit(passport_mrz(), 10)
    # when an officer registers it
    with pytest.raises(ValidationFailed) as caught:
        foreigner_register(actor=oversight, mrz_text=text)
    # then the mrz field names the failing digit and nothing is written
    with translation.override("en"):
        messages = [str(m) for m in caught.value.fields["mrz"]]
    assert any("document number" in m and "position 10" in m for m in messages)
    assert Foreigner.objects.count() == 0


def test_the_register_page_shows_the_check_digit_error(oversight, client_for, kotabumi):
    client = client_for(oversight)
    response = client.post(
        reverse("oversight_office:register"),
        {"mrz": _break_check_digit(passport_mrz(), 20), "kecamatan": "18.04.04"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert "birth date (line 2, position 20)" in response.content.decode()


def test_the_same_passport_cannot_be_registered_twice(oversight, foreigner):
    with pytest.raises(Conflict):
        foreigner_register(actor=oversight, mrz_text=passport_mrz())


def test_the_register_lists_filters_and_opens_a_foreigner(oversight, client_for, foreigner):
    make_permit(oversight, foreigner, until=__import__("datetime").date.today(), number="ITK-9")
    client = client_for(oversight)
    listed = client.get(reverse("oversight_office:list"), {"nationality": "aus"})
    assert "TESANU VOLAKI" in listed.content.decode()
    other = client.get(reverse("oversight_office:list"), {"nationality": "NLD"})
    assert "TESANU VOLAKI" not in other.content.decode()
    expiring = client.get(reverse("oversight_office:list"), {"expiring_within": "3"})
    assert "TESANU VOLAKI" in expiring.content.decode()
    detail = client.get(reverse("oversight_office:detail", args=[foreigner.public_id]))
    assert detail.status_code == 200
    assert "ITK-9" in detail.content.decode()
    assert AuditEntry.objects.filter(action="oversight.foreigner_viewed").count() == 1


def test_an_oversight_officer_of_another_office_sees_nothing(
    oversight_elsewhere, outsider, client_for, foreigner
):
    for user in (oversight_elsewhere, outsider):
        client = client_for(user)
        listed = client.get(reverse("oversight_office:list"))
        assert listed.status_code == 200
        assert "TESANU" not in listed.content.decode()
        detail = client.get(reverse("oversight_office:detail", args=[foreigner.public_id]))
        assert detail.status_code == 404
        api = client.get("/api/v1/oversight/foreigners")
        assert api.json()["count"] == 0
        assert client.get(f"/api/v1/oversight/foreigners/{foreigner.public_id}").status_code == 404
        export = client.get(reverse("oversight_office:export"))
        assert "TESANU" not in b"".join(export.streaming_content).decode()


def test_staff_without_oversight_rights_are_refused(officer, client_for, foreigner):
    client = client_for(officer)
    assert client.get(reverse("oversight_office:list")).status_code == 403
    assert client.get("/api/v1/oversight/foreigners").status_code == 403


def test_the_export_streams_the_register_and_is_audited(oversight, client_for, foreigner):
    response = client_for(oversight).get(reverse("oversight_office:export"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("id,full_name,nationality")
    assert "TESANU VOLAKI" in body
    assert AuditEntry.objects.filter(action="oversight.foreigners_exported").exists()


def test_the_xlsx_export_opens_in_a_spreadsheet_and_is_audited(
    oversight, client_for, foreigner, outsider
):
    import io

    from openpyxl import load_workbook

    response = client_for(oversight).get(reverse("oversight_office:export_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "full_name", "nationality")
    assert rows[1][1] == "TESANU VOLAKI"
    entry = AuditEntry.objects.filter(action="oversight.foreigners_exported").get()
    assert entry.data["format"] == "xlsx"


def test_the_api_gives_the_file_with_permits(oversight, client_for, foreigner):
    make_permit(oversight, foreigner, until=__import__("datetime").date.today(), number="ITK-7")
    client = client_for(oversight)
    listed = client.get("/api/v1/oversight/foreigners", {"permit_kind": "itk"}).json()
    assert listed["count"] == 1
    assert listed["items"][0]["permit_kind"] == "itk"
    detail = client.get(f"/api/v1/oversight/foreigners/{foreigner.public_id}").json()
    assert detail["permits"][0]["number"] == "ITK-7"
    assert detail["address"] == "Jl. Demo 1"
