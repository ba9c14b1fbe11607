import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from simi.core.errors import ValidationFailed
from simi.issuance import seal
from simi.issuance.models import IssuedDocument
from simi.issuance.printing import document_seal, document_seal_text
from simi.issuance.services import document_issue
from simi.oversight.models import Sighting, Violation, ViolationKind
from simi.oversight.register.permits import permit_register_from_issuance
from simi.oversight.sightings.services import (
    SightingData,
    address_mismatch_ensure,
    sighting_record,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/oversight/sightings"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def issued_permit(foreigner, supervisor, kotabumi):
    """A stay permit SIMI issued to the foreigner, attached to the register."""
    today = timezone.localdate()
    document = document_issue(
        actor=supervisor,
        kind=IssuedDocument.Kind.STAY_PERMIT,
        holder=foreigner.person,
        number="ITAS77001",
        valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=170),
        office=kotabumi,
    )
    permit_register_from_issuance(
        actor=None,
        holder=foreigner.person,
        kind="itas",
        number=document.number,
        valid_from=document.valid_from,
        valid_until=document.valid_until,
        office=kotabumi,
        issued_document_id=document.public_id,
    )
    return document


def test_a_forged_permit_qr_is_stored_with_the_verdict_forged(oversight, issued_permit):
    # given a seal whose validity was altered after signing
    sealed = document_seal(issued_permit)
    sealed["data"]["msg"]["valid_until"] = "2099-12-31"
    # when a patrol records the sighting with it
    sighting = sighting_record(
        actor=oversight,
        data=SightingData(kecamatan_code="18.04.04", seal=seal.seal_text(sealed)),
    )
    # then the verdict is forged, no document or foreigner is trusted from it
    sighting.refresh_from_db()
    assert (sighting.subject, sighting.seal_verdict) == ("seal", "forged")
    assert sighting.seal_reason == "bad_signature"
    assert sighting.document_id is None
    assert sighting.foreigner is None


def test_a_valid_qr_seen_in_another_kecamatan_flags_an_address_mismatch_once(
    oversight, foreigner, issued_permit
):
    # given a foreigner registered in Balik Bukit (18.04.04), seen in Sukau (18.04.11)
    sighting = sighting_record(
        actor=oversight,
        data=SightingData(
            kecamatan_code="18.04.11",
            latitude="-4.947",
            longitude="104.042",
            seal=document_seal_text(issued_permit),
            note="Di pasar Sukau, mengaku berlibur.",
        ),
    )
    sighting.refresh_from_db()
    # then the seal is valid, the foreigner found, and the mismatch is a violation
    assert sighting.seal_verdict == "valid"
    assert sighting.document_id == issued_permit.public_id
    assert sighting.foreigner == foreigner
    assert sighting.address_mismatch is True
    violation = Violation.objects.get(kind=ViolationKind.ADDRESS_MISMATCH)
    assert sighting.violation == violation
    assert (violation.foreigner, violation.office) == (foreigner, foreigner.office)
    # running it again changes nothing
    assert address_mismatch_ensure(sighting) == violation
    assert Violation.objects.filter(kind=ViolationKind.ADDRESS_MISMATCH).count() == 1
    # and it is listed with the other violations
    assert violation in Violation.objects.filter(foreigner=foreigner)


def test_a_foreigner_seen_in_the_registered_kecamatan_is_not_flagged(oversight, foreigner):
    sighting = sighting_record(
        actor=oversight,
        data=SightingData(kecamatan_code="18.04.04", foreigner_id=foreigner.public_id),
    )
    assert sighting.address_mismatch is False
    assert not Violation.objects.exists()


def test_a_passport_number_finds_the_registered_foreigner(oversight, foreigner):
    sighting = sighting_record(
        actor=oversight,
        data=SightingData(
            kecamatan_code="18.04.06", passport_number="x1234 5678", nationality="aus"
        ),
    )
    assert sighting.foreigner == foreigner
    assert sighting.address_mismatch is True
    assert Sighting.objects.get().passport_number == "X1234 5678"


def test_gps_outside_lampung_barat_is_a_field_error(oversight, client_for, foreigner):
    client = client_for(oversight)
    response = client.post(
        URL,
        {
            "kecamatan": "18.04.04",
            "latitude": "-6.2000",  # Jakarta
            "longitude": "106.8166",
            "foreigner": str(foreigner.public_id),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert "outside Lampung Barat" in fields["latitude"][0]
    assert "outside Lampung Barat" in fields["longitude"][0]
    assert not Sighting.objects.exists()


def test_only_one_of_latitude_and_longitude_is_refused(oversight, foreigner):
    with pytest.raises(ValidationFailed) as caught:
        sighting_record(
            actor=oversight,
            data=SightingData(
                kecamatan_code="18.04.04", latitude="-5.0", foreigner_id=foreigner.public_id
            ),
        )
    assert "longitude" in caught.value.fields


def test_the_person_seen_must_be_named_exactly_once(oversight, foreigner):
    with pytest.raises(ValidationFailed) as caught:
        sighting_record(actor=oversight, data=SightingData(kecamatan_code="18.04.04"))
    assert list(caught.value.fields) == ["__all__"]
    with pytest.raises(ValidationFailed):
        sighting_record(
            actor=oversight,
            data=SightingData(
                kecamatan_code="18.04.04",
                foreigner_id=foreigner.public_id,
                passport_number="X12345678",
                nationality="AUS",
            ),
        )


def test_it_answers_a_sighting_naming_nobody_with_an_error_on_the_whole_form(oversight, client_for):
    # given an officer who names no one (none of foreigner, passport_number, seal)
    response = client_for(oversight).post(URL, {"kecamatan": "18.04.04"}, HTTP_ACCEPT_LANGUAGE="en")
    # then the error is about the request as a whole, not a field it does not have
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert list(fields) == ["__all__"]
    assert "one of the three" in fields["__all__"][0]
    assert not Sighting.objects.exists()


def test_the_api_records_a_sighting_with_an_encrypted_photo(oversight, client_for, foreigner):
    client = client_for(oversight)
    photo = io.BytesIO(png_bytes())
    photo.name = "foto.png"
    response = client.post(
        URL,
        {
            "kecamatan": "18.04.04",
            "latitude": "-5.0235",
            "longitude": "104.0744",
            "foreigner": str(foreigner.public_id),
            "note": "Terlihat di depan kantor pekon.",
            "photo": photo,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["has_photo"] is True
    assert body["foreigner"] == str(foreigner.public_id)
    sighting = Sighting.objects.get()
    # the stored file is encrypted, the page serves the picture itself
    with default_storage.open(sighting.photo_name, "rb") as handle:
        assert b"PNG" not in handle.read()[:64]
    picture = client.get(reverse("oversight_office:sighting_photo", args=[sighting.public_id]))
    assert picture.status_code == 200
    assert picture.content == png_bytes()
    assert picture["Content-Type"] == "image/png"
    # and it can never act in SIMI's origin, nor stay in a cache
    assert picture["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert picture["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in picture["Cache-Control"]
    listing = client.get(URL).json()
    assert listing["count"] == 1
    assert listing["items"][0]["note"] is None
    assert client.get(f"{URL}/{sighting.public_id}").json()["note"].startswith("Terlihat")


def test_a_pdf_is_not_a_photo(oversight, foreigner):
    with pytest.raises(ValidationFailed) as caught:
        sighting_record(
            actor=oversight,
            data=SightingData(
                kecamatan_code="18.04.04",
                foreigner_id=foreigner.public_id,
                photo=b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF",
            ),
        )
    assert "photo" in caught.value.fields


def test_the_back_office_form_records_a_passport_sighting(oversight, client_for, foreigner):
    client = client_for(oversight)
    response = client.post(
        reverse("oversight_office:sighting_add"),
        {"kecamatan": "18.04.05", "passport_number": "X12345678", "nationality": "AUS"},
    )
    assert response.status_code == 302, response.content[:800]
    sighting = Sighting.objects.get()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert foreigner.person.full_name in page.content.decode()
    assert sighting.address_mismatch
    filtered = client.get(reverse("oversight_office:sightings"), {"address_mismatch": "yes"})
    assert sighting.kecamatan.name in filtered.content.decode()


def test_the_back_office_form_shows_the_gps_error(oversight, client_for, foreigner):
    response = client_for(oversight).post(
        reverse("oversight_office:sighting_add") + f"?foreigner={foreigner.public_id}",
        {"kecamatan": "18.04.04", "latitude": "1.0", "longitude": "104.0"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert "latitude is outside Lampung Barat" in response.content.decode()


def test_an_officer_of_another_office_sees_none_of_our_sightings(
    oversight, oversight_elsewhere, client_for, foreigner
):
    sighting = sighting_record(
        actor=oversight,
        data=SightingData(kecamatan_code="18.04.04", foreigner_id=foreigner.public_id),
    )
    client = client_for(oversight_elsewhere)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}/{sighting.public_id}").status_code == 404
    assert (
        client.get(reverse("oversight_office:sighting", args=[sighting.public_id])).status_code
        == 404
    )
    listing = client.get(reverse("oversight_office:sightings"))
    assert listing.status_code == 200
    assert str(sighting.public_id) not in listing.content.decode()
    # nor can they name our foreigner in a sighting of their own
    with pytest.raises(ValidationFailed) as caught:
        sighting_record(
            actor=oversight_elsewhere,
            data=SightingData(kecamatan_code="18.04.04", foreigner_id=foreigner.public_id),
        )
    assert "foreigner" in caught.value.fields


def test_a_supervisor_reads_sightings_but_cannot_record_one(supervisor, client_for, foreigner):
    client = client_for(supervisor)
    assert client.get(URL).status_code == 200
    refused = client.post(URL, {"kecamatan": "18.04.04", "foreigner": str(foreigner.public_id)})
    assert refused.status_code == 403


def test_a_scripted_pdf_sent_as_the_photo_is_refused_for_its_script(
    oversight, client_for, foreigner
):
    from simi.core.tests.pdfs import HAND_WRITTEN_HOSTILE

    # given an officer's device sending a sighting whose photo is a scripted PDF
    photo = io.BytesIO(HAND_WRITTEN_HOSTILE["open action script in a compressed object stream"])
    photo.name = "foto.jpg"
    client = client_for(oversight)
    client.cookies["django_language"] = "en"
    # when it is posted
    response = client.post(
        URL, {"kecamatan": "18.04.04", "foreigner": str(foreigner.public_id), "photo": photo}
    )
    # then the photo field names the script and no sighting is recorded
    assert response.status_code == 422, response.content
    assert "scripts" in response.json()["error"]["fields"]["photo"][0]
    assert not Sighting.objects.exists()
