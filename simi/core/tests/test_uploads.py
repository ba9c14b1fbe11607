"""The upload checker judges a PDF by its parsed objects, not its bytes:
everything that would act when an officer opens the file is refused, however
it is spelt or packed, and plain documents pass."""

from __future__ import annotations

import io
import logging

import pytest

from simi.core.errors import ValidationFailed
from simi.core.pdfinspect import MAX_PDF_OBJECTS
from simi.core.tests import pdfs
from simi.core.uploads import MAX_PDF_PAGES, check_upload

HOSTILE = pdfs.hostile_corpus()
PLAIN = pdfs.plain_corpus()


def refused_code(content: bytes) -> str:
    with pytest.raises(ValidationFailed) as refused:
        check_upload(content)
    assert list(refused.value.fields) == ["file"]
    return refused.value.code


@pytest.mark.parametrize("name", HOSTILE)
def test_it_refuses_every_active_feature_of_the_hostile_corpus(name):
    # given a PDF that would run, open, send or hand over something
    content = HOSTILE[name]
    # when it is checked, then it is refused as active content
    assert refused_code(content) == "pdf_active_content"


@pytest.mark.parametrize("name", PLAIN)
def test_it_accepts_plain_documents_however_they_were_made(name):
    # given a scan, a word processor's export or a busy but inert structure
    checked = check_upload(PLAIN[name])
    # then it passes, with its pages counted
    assert checked.content_type == "application/pdf"
    assert checked.pages >= 1


def test_it_reads_escaped_names_the_way_a_viewer_does():
    # given finding 5: /Java#53cript is /JavaScript to pypdf and to every viewer
    content = pdfs.HAND_WRITTEN_HOSTILE["open action script, escaped names"]
    assert b"/JavaScript" not in content
    assert b"/JS" not in content
    # when it is checked, then the escape hides nothing
    assert refused_code(content) == "pdf_active_content"


def test_it_looks_inside_compressed_object_streams():
    # given a script whose only copy is deflated inside an object stream
    content = pdfs.HAND_WRITTEN_HOSTILE["open action script in a compressed object stream"]
    assert b"JavaScript" not in content
    assert b"OpenAction" not in content
    # then it is found all the same
    assert refused_code(content) == "pdf_active_content"


def test_it_no_longer_refuses_a_document_for_the_words_in_its_text():
    # given page text that mentions /JavaScript (the byte search refused this)
    content = pdfs.HAND_WRITTEN_PLAIN["the words /JavaScript /Launch in the page text"]
    assert b"/JavaScript" in content
    # then only structure counts, and the document passes
    assert check_upload(content).pages == 1


# pypdf keeps the first of two equal keys; PDF.js, pdfium and MuPDF the last.
AMBIGUOUS = pdfs.raw_pdf(
    pdfs.one_page(catalog=b"/OpenAction [3 0 R /Fit] /OpenAction << /S /JavaScript /JS (x) >>")
)


def test_it_refuses_a_key_given_twice_because_viewers_disagree_on_it():
    # given a catalog whose second /OpenAction (the one viewers use) is a script
    # when it is checked, then it is refused: what pypdf read is not what opens
    assert refused_code(AMBIGUOUS) == "pdf_damaged"


def test_it_sees_a_key_given_twice_even_when_the_deployment_logs_only_errors(caplog):
    # given SIMI_LOG_LEVEL=ERROR (the root logger drops warnings)
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        # then pypdf's warning still reaches the check, and stays out of the log
        assert refused_code(AMBIGUOUS) == "pdf_damaged"
    finally:
        root.setLevel(level)
    assert "Multiple definitions" not in caplog.text


def test_it_still_refuses_encrypted_pdfs():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdfs.text_pdf())))
    writer.encrypt(user_password="", owner_password="secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert refused_code(buffer.getvalue()) == "pdf_encrypted"


def test_it_still_refuses_more_pages_than_the_limit():
    pages = {
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (10 + n) for n in range(MAX_PDF_PAGES + 1)), MAX_PDF_PAGES + 1)
    }
    for n in range(MAX_PDF_PAGES + 1):
        pages[10 + n] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    assert refused_code(pdfs.raw_pdf({**pdfs.one_page(), **pages})) == "pdf_too_many_pages"


def test_it_refuses_a_file_with_more_objects_than_a_scan_ever_has():
    # given a valid one-page PDF padded with tiny objects, packed so it stays small
    padding = dict.fromkeys(range(6, MAX_PDF_OBJECTS + 10), b"<< >>")
    content = pdfs.raw_pdf(pdfs.one_page(extra=padding), compressed=padding)
    assert len(content) < 200_000
    # then it is refused before the walk can keep a worker busy
    assert refused_code(content) == "pdf_too_complex"


@pytest.mark.parametrize(
    "content",
    [
        pdfs.raw_pdf(pdfs.one_page(catalog=b"/Deep " + b"[" * 5000 + b"]" * 5000)),
        pdfs.raw_pdf(pdfs.one_page())[:-200],
        pdfs.raw_pdf(pdfs.one_page(), compressed=[1, 2, 3]).replace(b"/FlateDecode", b"/LZWDecode"),
    ],
    ids=["nested 5000 deep", "cut short", "object stream that does not decode"],
)
def test_broken_files_are_damaged_never_a_crash(content):
    assert refused_code(content) in {"pdf_damaged", "pdf_empty"}
