"""Uploading on the application page: a refusal shows beside the document it
concerns and names the file, with a summary at the top that links to that
document's field; the page offers the camera and tells how to take a good
photo (issue 14, item 8)."""

from __future__ import annotations

import html
import io
import re

import pytest

from simi.applications.models import ApplicationDocument
from simi.applications.tests.files import png_bytes

pytestmark = pytest.mark.django_db


def post_file(client, app, name: str, content: bytes, code: str = "e-ktp"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(
        f"/permohonan/{app.public_id}/dokumen/", {"requirement_code": code, "file": file}
    )


def english(client):
    client.cookies["django_language"] = "en"
    return client


def beside(page: str, code: str) -> str:
    """The text of the error block beside the document ``code``'s upload."""
    found = re.search(rf'<div id="file-{code}-error">(.*?)</div>', page, re.S)
    assert found, f"no error beside {code}"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).replace("\xa0", " ")


def summary(page: str) -> str:
    found = re.search(
        r'<div class="alert alert-error" id="upload-error-summary"(.*?)</div>', page, re.S
    )
    assert found, "no error summary"
    return found.group(0)


def test_a_too_large_file_is_refused_beside_its_document_naming_the_file(
    submitted, ani, client_for
):
    client = english(client_for(ani))
    stored = ApplicationDocument.objects.count()
    # when a 5.5 MB file is sent for the e-KTP
    response = post_file(client, submitted, "foto-ktp.jpg", b"\xff\xd8\xff" + b"0" * 5_767_168)
    # then the e-KTP's field says which file and how large it is against the limit
    assert response.status_code == 422
    page = response.content.decode()
    assert "foto-ktp.jpg: The file is 5.5 MB; the limit is 5.0 MB." in beside(page, "e-ktp")
    # and the summary at the top links to that field and takes the focus
    top = summary(page)
    assert 'href="#file-e-ktp"' in top
    assert "foto-ktp.jpg" in top
    assert 'tabindex="-1"' in top
    assert "autofocus" in top
    assert page.index("upload-error-summary") < page.index('id="docs-title"')
    assert (
        'id="file-e-ktp" accept="application/pdf,image/jpeg,image/png" aria-invalid="true"' in page
    )
    # and nothing is stored
    assert ApplicationDocument.objects.count() == stored


def test_a_wrong_type_is_refused_beside_its_document_in_indonesian(submitted, ani, client_for):
    stored = ApplicationDocument.objects.count()
    # when a text file is sent for the family card, on the default (Indonesian) page
    response = post_file(client_for(ani), submitted, "catatan.txt", b"just text", "kartu-keluarga")
    # then the family card's field names the file and the accepted types
    assert response.status_code == 422
    page = response.content.decode()
    text = beside(page, "kartu-keluarga")
    assert text.strip().startswith("catatan.txt: ")
    assert "PDF, JPEG atau PNG" in text
    assert 'href="#file-kartu-keluarga"' in summary(page)
    assert 'id="file-e-ktp-error"' not in page  # the other documents stay as they were
    assert ApplicationDocument.objects.count() == stored


def test_sending_no_file_asks_for_one_beside_the_document(submitted, ani, client_for):
    response = english(client_for(ani)).post(
        f"/permohonan/{submitted.public_id}/dokumen/", {"requirement_code": "e-ktp"}
    )
    assert response.status_code == 422
    assert "Choose a file or take a photo first." in beside(response.content.decode(), "e-ktp")


def test_an_accepted_file_is_stored_and_the_page_has_no_error(submitted, ani, client_for):
    response = post_file(english(client_for(ani)), submitted, "ktp.png", png_bytes((41, 31)))
    assert response.status_code == 302
    assert ApplicationDocument.objects.order_by("-uploaded_at").first().requirement_code == "e-ktp"
    page = english(client_for(ani)).get(response["Location"]).content.decode()
    assert "upload-error-summary" not in page


def test_the_page_offers_the_camera_and_advice_on_a_good_photo(submitted, ani, client_for):
    page = english(client_for(ani)).get(f"/permohonan/{submitted.public_id}/").content.decode()
    # a camera input beside the file chooser, both feeding the same upload
    assert re.search(r'name="file" id="photo-e-ktp" accept="image/\*" capture="environment"', page)
    assert 'name="file" id="file-e-ktp"' in page
    assert "Take a photo" in page
    assert "Choose a file" in page
    # advice on a good photo, with what matters for this document
    assert "How to take a good photo" in page
    assert "The front of the e-KTP, with the NIK and the photo readable." in page
    # the script's messages come translated from the page, with the server's limit
    assert 'data-upload-limit="5242880"' in page
    assert "{name}: The file is {size}; the limit is 5.0\xa0MB." in html.unescape(page)
    assert 'src="/static/applications/js/upload.js"' in page


def test_the_script_messages_are_in_indonesian_by_default(submitted, ani, client_for):
    page = html.unescape(
        client_for(ani).get(f"/permohonan/{submitted.public_id}/").content.decode()
    )
    assert 'data-upload-decimal=","' in page
    assert "Cara mengambil foto yang baik" in page
