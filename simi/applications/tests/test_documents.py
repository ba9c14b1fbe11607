"""Uploads are judged by their bytes, stored encrypted, read back only by the
applicant and the office's case workers (audited), and never half-written."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import translation

from simi.applications.documents import document_content, document_upload
from simi.applications.models import ApplicationDocument
from simi.applications.tests.conftest import API
from simi.applications.tests.files import jpeg_bytes, pdf_bytes, png_bytes
from simi.audit.models import AuditEntry
from simi.core.errors import Conflict, NotFound, ValidationFailed
from simi.core.tests import pdfs
from simi.core.uploads import check_upload


def refused_code(content: bytes) -> str:
    with pytest.raises(ValidationFailed) as refused:
        check_upload(content)
    assert list(refused.value.fields) == ["file"]
    return refused.value.code


def test_real_pdf_jpeg_and_png_are_accepted_by_content():
    assert check_upload(pdf_bytes(pages=2)).content_type == "application/pdf"
    assert check_upload(pdf_bytes(pages=2)).pages == 2
    assert check_upload(jpeg_bytes()).content_type == "image/jpeg"
    assert check_upload(png_bytes()).content_type == "image/png"
    checked = check_upload(png_bytes())
    import hashlib

    assert checked.sha256 == hashlib.sha256(png_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "file_empty"),
        (b"MZ\x90\x00 this is a Windows program", "file_type_not_accepted"),
        ("Nama: Ani\n".encode("utf-16"), "file_type_not_accepted"),
        (b"<html><script>alert(1)</script></html>", "file_type_not_accepted"),
        (b"%PDF-1.7\n garbage without any structure", "pdf_damaged"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image_damaged"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(content, code):
    assert refused_code(content) == code


def test_a_truncated_picture_is_refused():
    whole = jpeg_bytes()
    assert refused_code(whole[: len(whole) // 2]) == "image_damaged"


def test_a_pdf_with_javascript_is_refused():
    content = pdf_bytes().replace(
        b"/OpenAction [3 0 R /FitH null]", b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )
    assert refused_code(content) == "pdf_active_content"


def test_a_script_added_as_a_second_open_action_is_refused():
    # pypdf would read the first /OpenAction, a viewer the added one
    content = pdf_bytes().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>", 1
    )
    assert refused_code(content) == "pdf_damaged"


@override_settings(SIMI_MAX_UPLOAD_BYTES=1024)
def test_a_file_over_the_limit_is_refused_with_the_limit_named():
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        check_upload(pdf_bytes() + b" " * 2048)
    assert refused.value.code == "file_too_large"
    assert "1.0" in str(refused.value.message)


def test_stored_bytes_are_encrypted_and_read_back_intact(submitted, ani):
    content = pdf_bytes(text="CANARY-KK-1804")
    document = document_upload(
        actor=ani, application=submitted, requirement_code="kartu-keluarga", content=content
    )
    with default_storage.open(document.storage_name, "rb") as handle:
        raw = handle.read()
    assert b"CANARY" not in raw
    assert b"%PDF" not in raw
    assert document_content(actor=ani, document=document) == content


def test_the_same_file_twice_is_one_document(draft, ani):
    content = png_bytes()
    first = document_upload(actor=ani, application=draft, requirement_code="e-ktp", content=content)
    again = document_upload(actor=ani, application=draft, requirement_code="e-ktp", content=content)
    assert first.pk == again.pk
    assert ApplicationDocument.objects.count() == 1


def test_an_unknown_requirement_is_a_field_error_and_nothing_is_stored(draft, ani):
    with pytest.raises(ValidationFailed) as refused:
        document_upload(
            actor=ani, application=draft, requirement_code="selfie", content=png_bytes()
        )
    assert "requirement_code" in refused.value.fields
    assert not ApplicationDocument.objects.exists()


def test_someone_elses_application_takes_no_uploads(submitted, budi, outsider):
    for intruder in (budi, outsider):
        with pytest.raises(NotFound):
            document_upload(
                actor=intruder, application=submitted, requirement_code="e-ktp", content=png_bytes()
            )


def test_an_officer_reading_a_document_is_audited(submitted, ani, officer, outsider):
    document = document_upload(
        actor=ani, application=submitted, requirement_code="e-ktp", content=png_bytes()
    )
    assert document_content(actor=officer, document=document) == png_bytes()
    entry = AuditEntry.objects.filter(action="applications.document_viewed").get()
    assert entry.actor == officer
    assert entry.purpose == "verification"
    with pytest.raises(NotFound):
        document_content(actor=outsider, document=document)


def test_no_uploads_after_the_decision(submitted, ani):
    submitted.status = "approved"
    with pytest.raises(Conflict):
        document_upload(
            actor=ani, application=submitted, requirement_code="e-ktp", content=png_bytes()
        )


def test_upload_through_the_api_and_the_page(draft, ani, client_for):
    client = client_for(ani)
    client.cookies["django_language"] = "en"
    url = f"{API}/applications/{draft.public_id}/documents"
    # a renamed text file is refused with a localized field error
    bad = io.BytesIO(b"just text, not a scan")
    bad.name = "ktp.pdf"
    response = client.post(url, {"requirement_code": "e-ktp", "file": bad})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["file"] == [
        "Upload a PDF, JPEG or PNG file. This file is none of these."
    ]
    good = io.BytesIO(png_bytes())
    good.name = "anything.bin"
    response = client.post(url, {"requirement_code": "e-ktp", "file": good})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == "image/png"
    assert client.get(url).json()[0]["id"] == body["id"]
    # the page shows the file and serves it back, sandboxed
    page = client.get(f"/permohonan/{draft.public_id}/").content.decode()
    assert f"/permohonan/{draft.public_id}/dokumen/{body['id']}/" in page
    served = client.get(f"/permohonan/{draft.public_id}/dokumen/{body['id']}/")
    assert served["Content-Type"] == "image/png"
    assert "sandbox" in served["Content-Security-Policy"]
    # Indonesian is the default language
    client.cookies["django_language"] = "id"
    again = io.BytesIO(b"teks biasa")
    again.name = "x.png"
    response = client.post(url, {"requirement_code": "e-ktp", "file": again})
    assert "PDF, JPEG atau PNG" in response.json()["error"]["fields"]["file"][0]


def test_page_upload_shows_the_error_on_the_form(submitted, ani, client_for):
    client = client_for(ani)
    client.cookies["django_language"] = "en"
    bad = io.BytesIO(b"GIF89a not accepted")
    bad.name = "photo.gif"
    response = client.post(
        f"/permohonan/{submitted.public_id}/dokumen/", {"requirement_code": "e-ktp", "file": bad}
    )
    assert response.status_code == 422
    assert "This file is none of these" in response.content.decode()


def _upload(client, application, content: bytes, name: str = "dokumen.pdf"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(
        f"{API}/applications/{application.public_id}/documents",
        {"requirement_code": "kartu-keluarga", "file": file},
    )


@pytest.mark.parametrize("name", sorted(pdfs.hostile_corpus()))
def test_it_refuses_an_active_pdf_through_the_api_and_stores_nothing(name, draft, ani, client_for):
    # given an applicant with an open application (finding 5 and its kin)
    client = client_for(ani)
    client.cookies["django_language"] = "en"
    # when she uploads a PDF that carries a script, an action or an attachment
    response = _upload(client, draft, pdfs.hostile_corpus()[name])
    # then the upload is refused on the file field, in her language, and nothing is kept
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "pdf_active_content"
    assert error["fields"]["file"] == [
        "The PDF contains scripts, attachments, links or actions. "
        "Print it to a new PDF or scan it, then upload that file."
    ]
    assert not ApplicationDocument.objects.exists()


@pytest.mark.parametrize("name", sorted(pdfs.plain_corpus()))
def test_it_accepts_plain_pdfs_through_the_api(name, submitted, ani, client_for):
    # given a scan or a plain export
    response = _upload(client_for(ani), submitted, pdfs.plain_corpus()[name])
    # then it is stored as a PDF document
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "application/pdf"


def test_the_page_refuses_an_escaped_script_and_says_why(draft, ani, client_for):
    # given the applicant's upload form (the browser path of the same check)
    client = client_for(ani)
    client.cookies["django_language"] = "id"
    file = io.BytesIO(pdfs.HAND_WRITTEN_HOSTILE["open action script, escaped names"])
    file.name = "kk.pdf"
    # when she sends the hostile file
    response = client.post(
        f"/permohonan/{draft.public_id}/dokumen/",
        {"requirement_code": "kartu-keluarga", "file": file},
    )
    # then the form shows the refusal in Indonesian and nothing is stored
    assert response.status_code == 422
    assert "skrip" in response.content.decode()
    assert not ApplicationDocument.objects.exists()
