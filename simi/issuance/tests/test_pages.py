"""The public verification page and the back office's register and printable document."""

import re
from datetime import timedelta
from html import escape

import pytest
from django.test import Client
from django.utils import timezone

from simi.audit.models import AuditEntry
from simi.issuance.printing import document_seal_text
from simi.issuance.tests.builders import passport_mrz

pytestmark = pytest.mark.django_db

VERIFY = "/verifikasi/"


def test_the_verification_page_speaks_indonesian_by_default():
    response = Client().get(VERIFY)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Langsung ke konten utama" in html  # the shared layout, translated
    assert 'name="seal"' in html


def test_the_verification_page_speaks_english_on_request():
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get(VERIFY).content.decode()
    assert '<html lang="en">' in html
    assert "Verify a document" in html
    assert "Skip to main content" in html


def test_the_address_without_a_slash_leads_to_the_page():
    response = Client().get("/verifikasi")
    assert response.status_code == 301
    assert response["Location"] == VERIFY


def test_the_page_has_no_inline_script_and_loads_the_scanner_from_our_origin():
    html = Client().get(VERIFY).content.decode()
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S)
    assert all(body.strip() == "" for body in scripts)
    assert "/static/issuance/js/seal-scan.js" in html
    assert 'id="scan-start" hidden' in html  # shown only where BarcodeDetector exists


def test_a_pasted_valid_seal_shows_valid_and_the_summary(issue):
    document = issue()
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post(VERIFY, {"seal": document_seal_text(document)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid: issued by SIMI and in force" in html
    assert "AME" in html
    assert "1974" in html
    assert f"position {document.audit_leaf_index}" in html
    assert "ITAS" not in html
    assert "Eriksson" not in html


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "Travel document (SPLP)"), ("id", "Surat Perjalanan Laksana Paspor (SPLP)")],
)
def test_a_pasted_splp_seal_names_the_travel_document(issue, language, label):
    # given a travel document (SPLP)
    document = issue(kind="travel_document", number="SPLP-0001")
    client = Client()
    client.cookies["django_language"] = language
    # when its seal is pasted on the page
    html = client.post(VERIFY, {"seal": document_seal_text(document)}).content.decode()
    # then the summary names its kind in the reader's language
    assert f"<dd>{escape(label)}</dd>" in html


def test_a_pasted_forgery_is_named_as_such(issue):
    text = document_seal_text(issue()).replace('"AME"', '"XYZ"')
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.post(VERIFY, {"seal": text}).content.decode()
    assert "Not recognised: do not accept this document" in html
    assert "XYZ" not in html


@pytest.mark.parametrize(
    "seal", ["", "x" * 5000, "\x00\xff", "{" * 3000], ids=["empty", "long", "bin", "nest"]
)
def test_garbage_on_the_page_is_a_4xx_or_forged_never_a_500(seal):
    response = Client().post(VERIFY, {"seal": seal})
    assert response.status_code in {200, 422}
    if response.status_code == 200:
        assert "verdict-forged" in response.content.decode()


def test_the_page_is_rate_limited_per_address():
    client = Client()
    statuses = [client.post(VERIFY, {"seal": "x"}).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


def test_the_printable_document_shows_the_qr_seal_and_the_mrz_to_its_office(
    issue, supervisor, client_for
):
    until = timezone.localdate() + timedelta(days=3650)
    document = issue(
        kind="passport",
        number="C1234567",
        valid_until=until,
        mrz_fields=passport_mrz("C1234567", until),
    )
    response = client_for(supervisor).get(f"/kantor/dokumen/{document.public_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert escape(document.mrz_line2) in html
    assert "/verifikasi/" in html
    assert "@media print" not in html  # print rules live in the stylesheet, not inline
    assert AuditEntry.objects.filter(action="issuance.document_viewed").count() == 1


def test_the_register_is_scoped_to_the_office(issue, supervisor, outsider, applicant, client_for):
    document = issue()
    assert client_for(supervisor).get("/kantor/dokumen/").status_code == 200
    assert (
        document.holder_initials in client_for(supervisor).get("/kantor/dokumen/").content.decode()
    )
    assert client_for(outsider).get(f"/kantor/dokumen/{document.public_id}/").status_code == 404
    assert "AME" not in client_for(outsider).get("/kantor/dokumen/").content.decode()
    assert client_for(applicant).get("/kantor/dokumen/").status_code == 403
    assert Client().get("/kantor/dokumen/").status_code == 302


TECHNICAL = ("ECDSA", "ES256", "RFC 8785", "tree head", "inclusion proof", "pohon", "kanonis")


def _outside_details(html: str) -> str:
    return re.sub(r"<details[^>]*>.*?</details>", "", html, flags=re.S)


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_public_reads_plain_language_and_the_technical_details_are_folded(issue, language):
    # given a visitor on /verifikasi/ in either language (issue 14: it spoke of ECDSA,
    # RFC 8785 and signed tree heads to the public)
    client = Client()
    client.cookies["django_language"] = language
    page = client.get(VERIFY).content.decode()
    document = issue()
    verdict = client.post(VERIFY, {"seal": document_seal_text(document)}).content.decode()
    for html in (page, verdict):
        # then no technical term stands outside a folded "details" block
        outside = _outside_details(html)
        assert [term for term in TECHNICAL if term in outside] == []
        # and the details are still there for whoever opens them
        openings = re.findall(r"<details[^>]*>", html)
        assert openings
        # and they are folded until someone opens them
        assert [tag for tag in openings if " open" in tag] == []
    assert "ECDSA" in page
    assert "keys.json" not in _outside_details(page)
    folded = "".join(re.findall(r"<details[^>]*>.*?</details>", verdict, flags=re.S))
    assert str(document.audit_leaf_index) in folded
