"""/verifikasi/ with a photo of the QR seal: read on the server, checked as if pasted."""

import io
import json

import pytest
from django.core.files import uploadedfile
from django.test import Client
from PIL import Image

from simi.audit.models import AuditEntry
from simi.issuance.printing import document_seal, document_seal_text
from simi.issuance.services import document_revoke
from simi.issuance.tests.photos import phone_photo, photo_without_a_qr, qr_png, upload

pytestmark = pytest.mark.django_db

VERIFY = "/verifikasi/"


def _client(language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize(
    ("language", "valid"),
    [
        ("id", "Sah: diterbitkan SIMI dan masih berlaku"),
        ("en", "Valid: issued by SIMI and in force"),
    ],
)
def test_it_reads_a_valid_seal_from_a_phone_photo(issue, language, valid):
    # given an issued document and a phone photo of its QR seal: a 12-megapixel
    # scene, the code turned and blurred, the picture on its side with an EXIF
    # orientation
    document = issue()
    photo = phone_photo(document_seal_text(document))
    entries = AuditEntry.objects.count()
    # when someone uploads the photo on the verification page
    response = _client(language).post(VERIFY, {"photo": upload(photo)})
    # then the page says the document is valid, with the initials and birth year
    assert response.status_code == 200
    html = response.content.decode()
    assert valid in html
    assert "AME" in html
    assert "1974" in html
    # and nothing about the check was written down
    assert AuditEntry.objects.count() == entries


def test_it_keeps_a_large_photo_in_memory_and_never_on_disk(issue, monkeypatch, settings):
    # given a photo far over Django's in-memory size (2.5 MB), as a PNG
    document = issue()
    code = Image.open(io.BytesIO(qr_png(document_seal_text(document), scale=8)))
    noisy = Image.effect_noise((2000, 1800), 40)
    noisy.paste(code.convert("L"), (300, 300))
    out = io.BytesIO()
    noisy.save(out, "PNG")
    assert out.tell() > settings.FILE_UPLOAD_MAX_MEMORY_SIZE

    def no_temporary_file(*args, **kwargs):
        raise AssertionError("an uploaded photo was written to a temporary file")

    monkeypatch.setattr(uploadedfile.tempfile, "NamedTemporaryFile", no_temporary_file)
    # when it is uploaded
    response = _client("en").post(VERIFY, {"photo": upload(out.getvalue(), "qr.png")})
    # then it is read from memory and checked
    assert response.status_code == 200
    assert "Valid: issued by SIMI and in force" in response.content.decode()


def test_it_answers_revoked_for_a_photo_of_a_revoked_documents_qr(issue, supervisor):
    # given a document that its office revoked after printing it
    document = issue()
    text = document_seal_text(document)
    document_revoke(actor=supervisor, document=document, reason="Pemegang meninggal dunia")
    # when a photo of its printed QR code is checked
    html = _client("id").post(VERIFY, {"photo": upload(phone_photo(text))}).content.decode()
    # then the page says it is revoked and what to do
    assert "Dicabut" in html
    assert "verdict-revoked" in html
    assert 'href="/kontak/"' in html


def test_it_names_an_altered_seal_in_a_photo_as_not_recognised(issue):
    # given a seal whose initials were changed after signing, printed as a QR code
    sealed = document_seal(issue())
    sealed["data"]["msg"]["ini"] = "XYZ"
    altered = json.dumps(sealed, separators=(",", ":"))
    # when its photo is checked
    response = _client("en").post(VERIFY, {"photo": upload(phone_photo(altered))})
    # then the verdict is the one a pasted copy gets
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not recognised: do not accept this document" in html
    assert "XYZ" not in html


@pytest.mark.parametrize(
    ("language", "advice"),
    [
        ("id", "Pegang ponsel dengan stabil"),
        ("en", "Hold the phone steady"),
    ],
)
def test_it_says_so_when_a_photo_has_no_qr_code(language, advice):
    # given a photo of a desk, with no QR code on it
    # when it is uploaded
    response = _client(language).post(VERIFY, {"photo": upload(photo_without_a_qr())})
    # then the page asks for a better photo, with advice
    assert response.status_code == 422
    html = response.content.decode()
    assert advice in html
    assert 'class="verdict ' not in html


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("id", "Berkas ini bukan foto"),
        ("en", "This file is not a photo"),
    ],
)
def test_it_refuses_a_text_file_renamed_jpg(language, message):
    # given a text file named like a JPEG and sent as one
    fake = upload(b"this is not a picture at all\n" * 20, "qr.jpg", "image/jpeg")
    # when it is uploaded
    response = _client(language).post(VERIFY, {"photo": fake})
    # then it is refused for what it is, not for its name
    assert response.status_code == 422
    assert message in response.content.decode()


def test_it_refuses_a_qr_code_that_is_not_a_simi_seal():
    # given a photo of some other QR code (a web address)
    photo = phone_photo("https://example.com/menu", scale=14)
    # when it is uploaded
    response = _client("en").post(VERIFY, {"photo": upload(photo)})
    # then the page says it is not a SIMI seal, and what that means
    assert response.status_code == 422
    html = response.content.decode()
    assert "The QR code in this photo is not a SIMI seal" in html
    assert "do not accept the document as checked" in html


def test_it_refuses_a_picture_that_would_decompress_into_a_bomb():
    # given a tiny PNG that claims 8,000 x 6,000 pixels (48 megapixels)
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")
    assert out.tell() < 100_000
    # when it is uploaded
    response = _client("en").post(VERIFY, {"photo": upload(out.getvalue(), "big.png")})
    # then it is refused before its pixels are decoded
    assert response.status_code == 422
    assert "over 40 megapixels" in response.content.decode()


def test_it_refuses_a_damaged_photo():
    # given a JPEG cut off in the middle
    photo = photo_without_a_qr()
    # when it is uploaded
    response = _client("en").post(VERIFY, {"photo": upload(photo[:2000])})
    # then the page says it cannot be opened
    assert response.status_code == 422
    assert "The photo cannot be opened" in response.content.decode()


def test_it_refuses_a_photo_over_the_upload_limit(settings, issue):
    # given an upload limit of 100 kB and a 12-megapixel photo
    settings.SIMI_MAX_UPLOAD_BYTES = 100_000
    photo = phone_photo(document_seal_text(issue()))
    assert len(photo) > 100_000
    # when it is uploaded
    response = _client("en").post(VERIFY, {"photo": upload(photo)})
    # then it is refused, naming the limit
    assert response.status_code == 422
    assert "the limit is 97.7\xa0KB" in response.content.decode()


def test_it_asks_for_a_photo_or_the_text_when_the_form_is_empty():
    response = _client("en").post(VERIFY, {"seal": ""})
    assert response.status_code == 422
    assert "Send a photo of the QR code, or paste the seal text." in response.content.decode()


def test_photo_checks_count_with_pasted_ones(issue):
    # given a visitor who pasted 30 seals in a minute
    client = _client("en")
    for _ in range(30):
        client.post(VERIFY, {"seal": "x"})
    # when they upload a photo
    response = client.post(VERIFY, {"photo": upload(phone_photo(document_seal_text(issue())))})
    # then it is over the same limit
    assert response.status_code == 429
    assert response["Retry-After"]


def test_the_page_offers_a_photo_field_and_the_camera_on_phones():
    html = Client().get(VERIFY).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="photo" accept="image/*"' in html
    assert 'name="photo" id="id_photo_camera" accept="image/*" capture="environment"' in html
    assert 'href="/kontak/"' in html
