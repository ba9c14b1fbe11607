"""Decisions the applicant can act on: the refusal with its reason, legal
basis, letter and next steps; the documents an officer asks for and by when;
where, when and with what to collect an issued document; and the same
through the API (decision, refusal letter, issued documents and their PDF)."""

from __future__ import annotations

import re
import zlib
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from simi.accounts.services import api_token_create
from simi.applications import workflow
from simi.applications.models import Application, DocumentRequest, Status
from simi.applications.tests.conftest import API
from simi.applications.tests.test_workflow import citizen, registered, to_paid  # noqa: F401
from simi.issuance.verification import seal_verify
from simi.notifications.delivery import notification_deliver
from simi.notifications.models import Notification

pytestmark = pytest.mark.django_db

STAFF_NOTE = "STAFF ONLY: the family card photo looks edited"


def pdf_text(content: bytes) -> str:
    """The words a PDF shows, its wrapped lines joined with spaces (fpdf2
    deflates its page streams)."""
    assert content.startswith(b"%PDF")
    streams = []
    # The end-of-line before "endstream" is left to the stream: a deflated
    # stream whose last byte is 0x0D read as "\r\n" lost that byte (1 run in
    # 256 failed); a zlib stream knows where it ends, and what follows is ignored.
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            streams.append(zlib.decompressobj().decompress(stream).decode("latin-1"))
        except zlib.error:
            streams.append(stream.decode("latin-1"))
    shown = re.findall(r"\((.*?)\) Tj", "\n".join(streams))
    return " ".join(text.replace("\\(", "(").replace("\\)", ")") for text in shown)


def _reader(client: Client, language: str) -> Client:
    client.cookies["django_language"] = language
    return client


@pytest.fixture
def refused(registered: Application, officer: Any, supervisor: Any) -> Application:  # noqa: F811
    workflow.start_verification(actor=officer, application=registered)
    workflow.reject(
        actor=supervisor, application=registered, reason="documents_invalid", note=STAFF_NOTE
    )
    registered.refresh_from_db()
    return registered


@pytest.fixture
def issued(registered: Application, officer: Any, supervisor: Any) -> Application:  # noqa: F811
    app = to_paid(registered, verifier=officer)
    workflow.approve(actor=supervisor, application=app)
    workflow.issue(actor=supervisor, application=app, document_number="X 7654321")
    app.refresh_from_db()
    return app


# --- the refusal, on the applicant's pages -------------------------------------------


def test_a_refused_applicant_sees_the_reason_its_legal_basis_and_what_to_do_next(
    refused, client_for
):
    # given a refused passport application, read by its applicant in English
    client = _reader(client_for(refused.applicant), "en")
    # when she opens the application
    page = client.get(f"/permohonan/{refused.public_id}/").content.decode()
    # then the page says it is refused, why, on what legal basis and by whom
    assert "Decision: your application is refused" in page
    assert "The documents are not valid or not genuine" in page
    assert "Law No. 6 of 2011 on Immigration" in page
    assert "Regulation No. 18 of 2022" in page
    assert refused.office.name in page
    # and what she can do: apply again for the same service, object, ask
    assert "/permohonan/baru/?service=passport-ordinary-5y" in page
    assert "Object or ask for reconsideration" in page
    assert refused.tracking_code_display in page
    assert "Ask a question" in page
    assert "/layanan/passport-ordinary-5y/" in page
    # and the letter and its PDF are linked
    assert f"/permohonan/{refused.public_id}/keputusan/" in page
    assert f"/permohonan/{refused.public_id}/surat-keputusan.pdf" in page
    # but never the supervisor's staff-only note
    assert STAFF_NOTE not in page


def test_the_reapply_link_opens_a_new_application_with_the_service_chosen(refused, client_for):
    client = client_for(refused.applicant)
    form = client.get("/permohonan/baru/?service=passport-ordinary-5y").content.decode()
    assert re.search(r'<option value="passport-ordinary-5y"[^>]*selected', form)


def test_the_refusal_letter_page_is_in_indonesian_by_default_and_in_english_on_request(
    refused, client_for
):
    client = client_for(refused.applicant)
    url = f"/permohonan/{refused.public_id}/keputusan/"
    # given the default language, the letter is in Indonesian
    indonesian = client.get(url)
    assert indonesian.status_code == 200
    html = indonesian.content.decode()
    assert "Undang-Undang Nomor 6 Tahun 2011 tentang Keimigrasian" in html
    assert refused.tracking_code_display in html
    assert STAFF_NOTE not in html
    # when she asks for English, the same letter is in English
    english = _reader(client, "en").get(url).content.decode()
    assert "Decision on your application" in english
    assert "The documents are not valid or not genuine" in english
    assert "Law No. 6 of 2011 on Immigration" in english
    assert "Fix it and apply again" in english


def test_the_refusal_letter_pdf_states_reason_basis_date_office_and_next_steps(refused, client_for):
    client = _reader(client_for(refused.applicant), "en")
    response = client.get(f"/permohonan/{refused.public_id}/surat-keputusan.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "The documents are not valid or not genuine" in text
    assert "Law No. 6 of 2011 on Immigration" in text
    assert "Date of the decision" in text
    assert refused.office.name in text
    assert refused.tracking_code_display in text
    assert "Object or ask for reconsideration" in text
    assert "http://testserver/permohonan/lacak/" in text
    assert STAFF_NOTE not in text
    # and in Indonesian by default
    indonesian = pdf_text(_reader(client, "id").get(response.request["PATH_INFO"]).content)
    assert "Undang-Undang Nomor 6 Tahun 2011" in indonesian


def test_someone_elses_refusal_letter_answers_404(refused, other_applicant, client_for):
    client = client_for(other_applicant)
    assert client.get(f"/permohonan/{refused.public_id}/keputusan/").status_code == 404
    assert client.get(f"/permohonan/{refused.public_id}/surat-keputusan.pdf").status_code == 404
    response = client.get(f"{API}/applications/{refused.public_id}/decision/letter")
    assert response.status_code == 404


def test_an_application_not_refused_has_no_letter(registered, client_for):  # noqa: F811
    client = client_for(registered.applicant)
    page = client.get(f"/permohonan/{registered.public_id}/").content.decode()
    assert "/keputusan/" not in page
    assert client.get(f"/permohonan/{registered.public_id}/keputusan/").status_code == 404
    assert client.get(f"/permohonan/{registered.public_id}/surat-keputusan.pdf").status_code == 404


def test_signing_in_is_needed_for_the_letter(refused):
    response = Client().get(f"/permohonan/{refused.public_id}/keputusan/")
    assert response.status_code == 302


def test_a_form_opened_before_the_application_moved_on_says_so_and_changes_nothing(
    registered,  # noqa: F811
    officer,
    client_for,
):
    # given the officer's page offered "ask for documents" while the application was
    # being verified, and a colleague has since completed the verification
    workflow.start_verification(actor=officer, application=registered)
    workflow.complete_verification(actor=officer, application=registered)
    desk = _reader(client_for(officer), "en")
    # when the officer sends that form, even empty
    answer = desk.post(f"/kantor/permohonan/{registered.public_id}/request_documents/", {})
    # then the page says the step is no longer possible and why, and nothing was asked
    assert answer.status_code == 302
    page = desk.get(answer["Location"]).content.decode()
    assert "This step is no longer possible: the application is now" in page
    assert not DocumentRequest.objects.exists()


# --- the documents asked for --------------------------------------------------------------


def test_an_officer_picks_documents_and_the_applicant_sees_which_and_by_when(
    registered,  # noqa: F811
    officer,
    client_for,
):
    workflow.start_verification(actor=officer, application=registered)
    desk = _reader(client_for(officer), "en")
    url = f"/kantor/permohonan/{registered.public_id}/request_documents/"
    # given the officer's form offers the service's documents and 7 to 14 working days
    form = desk.get(f"/kantor/permohonan/{registered.public_id}/").content.decode()
    assert 'value="kartu-keluarga"' in form
    assert "Between 7 and 14 working days" in form
    # when the officer asks for fewer days than the rule allows, the form says so
    short = desk.post(
        url,
        {"requirement_codes": ["kartu-keluarga"], "message": "Scan again.", "working_days": 3},
    )
    assert short.status_code == 422
    assert not DocumentRequest.objects.exists()
    # when the officer asks for the family card and the civil record within 10 working days
    done = desk.post(
        url,
        {
            "requirement_codes": ["kartu-keluarga", "civil-record"],
            "message": "The family card is unreadable.",
            "working_days": 10,
        },
    )
    assert done.status_code == 302
    request = DocumentRequest.objects.get()
    assert request.requirement_codes == ["kartu-keluarga", "civil-record"]
    # then the applicant's page names exactly those documents and the date
    page = _reader(client_for(registered.applicant), "en")
    html = page.get(f"/permohonan/{registered.public_id}/").content.decode()
    block = html[html.index('id="documents-request"') :]
    block = block[: block.index("</section>")]
    assert "Family card (Kartu Keluarga)" in block
    assert "e-KTP" not in block
    assert "The family card is unreadable." in block
    assert f"{request.due_date:%Y}" in block
    # and so does her e-mail, in her language
    notification = Notification.objects.get(event="documents_requested", channel="email")
    notification_deliver(notification_id=notification.pk)
    message = mail.outbox[-1]
    assert "Kartu Keluarga" in message.body
    assert registered.tracking_code_display in message.body


def test_the_api_refuses_a_documents_deadline_outside_the_rule(
    registered,  # noqa: F811
    officer,
    client_for,
):
    workflow.start_verification(actor=officer, application=registered)
    response = client_for(officer).post(
        f"{API}/office/applications/{registered.public_id}/request-documents",
        {"requirement_codes": ["e-ktp"], "message": "Please.", "working_days": 30},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert registered.document_requests.count() == 0


# --- collecting an issued document --------------------------------------------------------


def test_an_issued_document_comes_with_where_when_and_what_to_bring(issued, officer, client_for):
    client = _reader(client_for(issued.applicant), "en")
    html = client.get(f"/permohonan/{issued.public_id}/").content.decode()
    block = html[html.index('id="collection"') :]
    block = block[: block.index("</section>")]
    assert issued.office.name in block
    assert issued.office.address in block
    assert "On a working day" in block
    assert "your e-KTP (identity card)" in block
    assert "the collection receipt" in block
    # once collected, the instructions are gone
    workflow.collect(actor=officer, application=issued)
    html = client.get(f"/permohonan/{issued.public_id}/").content.decode()
    assert 'id="collection"' not in html


# --- the API ------------------------------------------------------------------------------


def _token_client(user: Any, scopes: list[str]) -> Client:
    _token, secret = api_token_create(actor=user, name="decisions", scopes=scopes, days=1)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_api_gives_the_refusal_reason_legal_basis_next_steps_and_letter(refused):
    client = _token_client(refused.applicant, ["profile"])
    response = client.get(
        f"{API}/applications/{refused.public_id}/decision", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["outcome"] == "refused"
    assert body["reason"] == "documents_invalid"
    assert body["reason_label"] == "The documents are not valid or not genuine"
    assert "Law No. 6 of 2011" in body["legal_basis"]["text"]
    assert "FACTS.md" in body["legal_basis"]["source"]
    assert [step["kind"] for step in body["next_steps"]] == ["reapply", "reconsider", "ask"]
    assert body["next_steps"][0]["url"] == "/permohonan/baru/?service=passport-ordinary-5y"
    assert body["office"]["code"] == refused.office.code
    assert STAFF_NOTE not in response.content.decode()
    # and the letter it points to is a PDF
    letter = client.get(body["letter_pdf"], HTTP_ACCEPT_LANGUAGE="en")
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    assert "documents are not valid" in pdf_text(letter.content)


def test_the_api_has_no_decision_before_one_is_made(registered):  # noqa: F811
    client = _token_client(registered.applicant, ["profile"])
    response = client.get(f"{API}/applications/{registered.public_id}/decision")
    assert response.status_code == 404
    letter = client.get(f"{API}/applications/{registered.public_id}/decision/letter")
    assert letter.status_code == 404


def test_the_api_decision_is_only_the_applicants_own(refused, other_applicant):
    client = _token_client(other_applicant, ["profile"])
    assert client.get(f"{API}/applications/{refused.public_id}/decision").status_code == 404


def test_the_api_lists_the_applicants_issued_documents_with_a_verifiable_seal(issued):
    client = _token_client(issued.applicant, ["profile"])
    # when the applicant lists her issued documents
    response = client.get(f"{API}/issued-documents")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    document = issued.issued_document
    assert item["id"] == str(document.public_id)
    assert item["number"] == "X7654321"
    assert item["kind"] == "passport"
    assert item["valid_until"] == document.valid_until.isoformat()
    assert item["verify_url"].endswith("/verifikasi/")
    # then the seal verifies, and the PDF is the receipt with the QR seal
    assert seal_verify(item["seal"]).status == "valid"
    pdf = client.get(item["pdf"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert issued.tracking_code_display in pdf_text(pdf.content)
    # and the approved decision carries the collection instructions
    decision = client.get(f"{API}/applications/{issued.public_id}/decision").json()
    assert decision["outcome"] == "approved"
    assert decision["letter_pdf"] is None
    assert decision["collection"]["collect_by"]


def test_another_applicant_sees_none_of_the_issued_documents(issued, other_applicant):
    client = _token_client(other_applicant, ["profile"])
    assert client.get(f"{API}/issued-documents").json()["count"] == 0
    document_id = issued.issued_document.public_id
    assert client.get(f"{API}/issued-documents/{document_id}/pdf").status_code == 404


def test_a_document_withdrawn_for_not_being_collected_has_no_pdf(issued):
    # given the document was not collected within 30 days
    from datetime import timedelta

    from django.utils import timezone

    workflow.cancel_uncollected(now=timezone.now() + timedelta(days=31))
    issued.refresh_from_db()
    assert issued.status == Status.CANCELLED
    client = _token_client(issued.applicant, ["profile"])
    item = client.get(f"{API}/issued-documents").json()["items"][0]
    # then it is listed as revoked, without a receipt to print
    assert item["status"] == "revoked"
    assert item["pdf"] is None
    document_id = issued.issued_document.public_id
    assert client.get(f"{API}/issued-documents/{document_id}/pdf").status_code == 404


def test_every_refusal_reason_has_a_cited_legal_basis_for_every_applicant():
    # the data names a regulation and its source for each reason and kind of applicant
    from simi.applications.decisions import refusal_legal_basis
    from simi.applications.models import RejectReason

    for reason in RejectReason.values:
        for category in ("citizen", "foreigner"):
            basis = refusal_legal_basis(reason, category)
            assert "6 Tahun 2011" in basis.text, (reason, category)
            assert "FACTS.md" in basis.source, (reason, category)


def test_the_refusal_on_the_page_is_in_indonesian_by_default(refused, client_for):
    page = client_for(refused.applicant).get(f"/permohonan/{refused.public_id}/").content.decode()
    assert "Keputusan: permohonan Anda ditolak" in page
    assert "Yang dapat Anda lakukan sekarang" in page
    assert "Dokumen tidak sah atau tidak asli" in page
