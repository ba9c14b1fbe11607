"""POST /api/v1/verify/photo: a photo of the QR seal, the same verdict as the text."""

import pytest
from django.test import Client

from simi.issuance.printing import document_seal_text
from simi.issuance.services import document_revoke
from simi.issuance.tests.photos import phone_photo, photo_without_a_qr, upload

pytestmark = pytest.mark.django_db

URL = "/api/v1/verify/photo"


def test_anyone_gets_the_same_verdict_for_a_photo_as_for_the_text(issue):
    # given an issued document and a phone photo of its QR seal
    document = issue()
    text = document_seal_text(document)
    # when an anonymous verifier sends the photo, and another the text
    by_photo = Client().post(URL, {"photo": upload(phone_photo(text))})
    by_text = Client().post("/api/v1/verify", {"seal": text}, content_type="application/json")
    # then both answers are valid and the same
    assert by_photo.status_code == 200
    assert by_photo.json()["status"] == "valid"
    assert by_photo.json() == by_text.json()
    assert "ITAS" not in by_photo.content.decode()


def test_a_photo_of_a_revoked_documents_qr_is_answered_revoked(issue, supervisor):
    document = issue()
    text = document_seal_text(document)
    document_revoke(actor=supervisor, document=document, reason="Pemegang meninggal dunia")
    body = Client().post(URL, {"photo": upload(phone_photo(text))}).json()
    assert body["status"] == "revoked"
    assert body["revoked_on"] is not None


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"just some text, named like a picture\n" * 10, "photo_not_an_image"),
        (photo_without_a_qr(), "photo_no_qr"),
        (phone_photo("https://example.com/", scale=14), "photo_not_a_seal"),
        (b"", "file_empty"),
    ],
    ids=["text-file", "no-qr", "other-qr", "empty"],
)
def test_a_photo_that_gives_no_seal_is_a_field_error(content, code):
    # given a file that is no photo of a SIMI seal
    # when it is sent as one
    response = Client().post(URL, {"photo": upload(content, "qr.jpg")})
    # then the answer is 422 on the photo field, with a stable code
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == code
    assert list(error["fields"]) == ["photo"]


def test_the_error_speaks_the_callers_language():
    response = Client().post(
        URL, {"photo": upload(photo_without_a_qr())}, HTTP_ACCEPT_LANGUAGE="id"
    )
    assert "Pegang ponsel dengan stabil" in response.json()["error"]["message"]


def test_a_request_without_a_photo_is_refused():
    response = Client().post(URL, {"seal": "x"})
    assert response.status_code == 422
    assert "photo" in response.json()["error"]["fields"]


def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(settings):
    settings.SIMI_MAX_UPLOAD_BYTES = 10_000
    response = Client().post(URL, {"photo": upload(b"\xff\xd8\xff" + b"x" * 200_000)})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "request_too_large"


def test_photo_checks_are_counted_with_text_checks():
    # given a client that checked 30 seals as text within a minute
    client = Client()
    for _ in range(30):
        client.post("/api/v1/verify", {"seal": "x"}, content_type="application/json")
    # when it sends a photo
    response = client.post(URL, {"photo": upload(photo_without_a_qr())})
    # then the shared limit answers
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert response["Retry-After"]
