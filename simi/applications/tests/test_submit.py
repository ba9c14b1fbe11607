"""Submitting: refused while required items are missing, a check-your-answers
page with the declaration, a confirmation that says what happens next, and
one-time form keys against a double tap (issue 14)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from simi.applications.models import Application, ApplicationEvent, Status
from simi.applications.services import application_create
from simi.applications.tests.complete import DECLARED, complete_draft
from simi.applications.tests.conftest import API, post_json
from simi.audit.models import AuditEntry
from simi.people.services import PersonData, person_create

pytestmark = pytest.mark.django_db

FORM_KEY = "k3y-" + "a" * 28
PASSPORT_MISSING = [
    {"item": "family_card_number", "kind": "field", "label": "Family card (KK) number"},
    {"item": "e-ktp", "kind": "document", "label": "Electronic identity card (e-KTP)"},
    {"item": "kartu-keluarga", "kind": "document", "label": "Family card (Kartu Keluarga)"},
    {
        "item": "civil-record",
        "kind": "document",
        "label": "One of: birth certificate, marriage certificate or marriage book, "
        "school diploma, or baptism certificate",
    },
]


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def assert_nothing_submitted(app: Application) -> None:
    app.refresh_from_db()
    assert app.status == Status.DRAFT
    assert app.submitted_at is None
    assert app.sla_due_date is None
    assert app.tracking_code is None
    assert not ApplicationEvent.objects.filter(application=app, status_to="registered").exists()
    assert not AuditEntry.objects.filter(action="applications.submitted").exists()


# --- defect 1: an incomplete draft is not submitted -----------------------------


def test_it_refuses_an_incomplete_draft_through_the_api_listing_each_missing_item(
    ani, draft, client_for
):
    # given a passport draft with no documents and no family card number
    client = english(client_for(ani))
    # when Ani submits it with her declaration
    response = post_json(client, f"{API}/applications/{draft.public_id}/submit", DECLARED)
    # then it is refused with every missing item, machine-readable, and nothing starts
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["code"] == "application_incomplete"
    assert error["missing"] == PASSPORT_MISSING
    assert_nothing_submitted(draft)


def test_the_missing_items_are_labelled_in_indonesian_by_default(ani, draft, client_for):
    response = post_json(client_for(ani), f"{API}/applications/{draft.public_id}/submit", DECLARED)
    missing = response.json()["error"]["missing"]
    assert [m["item"] for m in missing] == [m["item"] for m in PASSPORT_MISSING]
    assert missing[2]["label"] == "Kartu Keluarga"
    assert missing[0]["label"] == "Nomor Kartu Keluarga (KK)"


def test_a_foreigner_is_asked_for_the_sponsor_and_her_documents(
    other_applicant, catalogue, client_for
):
    # given a foreigner's ITAS draft with nothing added
    other_applicant.person = person_create(
        actor=None,
        data=PersonData(
            kind="foreigner",
            full_name="Lena Synthetic",
            nationality="DEU",
            passport_number="C01X00T47",
        ),
    )
    other_applicant.save(update_fields=["person"])
    app = application_create(
        actor=other_applicant, service_code="itas-1y", office_code="kanim-kotabumi"
    )
    client = english(client_for(other_applicant))
    # when she submits through the API
    response = post_json(client, f"{API}/applications/{app.public_id}/submit", DECLARED)
    # then the sponsor (not a family card) and the stay-permit documents are missing
    missing = response.json()["error"]["missing"]
    assert missing[0] == {"item": "sponsor", "kind": "field", "label": "Your sponsor"}
    assert {m["item"] for m in missing if m["kind"] == "document"} >= {"passport", "sponsor-letter"}
    assert "family_card_number" not in {m["item"] for m in missing}
    assert_nothing_submitted(app)


def test_it_refuses_an_incomplete_draft_through_the_page_with_links_to_fix_each(
    ani, draft, client_for
):
    # given half a draft: the family card number and the e-KTP are there
    complete_draft(actor=ani, application=draft)
    draft.documents.filter(requirement_code="kartu-keluarga").delete()
    client = english(client_for(ani))
    # when Ani ticks the declaration and submits on the check page
    response = client.post(
        f"/permohonan/{draft.public_id}/ajukan/", {"declaration": "on", "form_key": FORM_KEY}
    )
    # then the check page says what is missing, linking to where it is uploaded
    assert response.status_code == 409
    html = response.content.decode()
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "There is a problem" in summary
    assert f'href="/permohonan/{draft.public_id}/#doc-kartu-keluarga"' in summary
    assert "Family card (Kartu Keluarga): not uploaded yet" in summary
    assert "e-KTP" not in summary
    assert re.search(r'id="error-summary"[^>]*autofocus', html)
    assert_nothing_submitted(draft)
    # and when she uploads it and submits again with the same form key, it goes through
    complete_draft(actor=ani, application=draft)
    again = client.post(
        f"/permohonan/{draft.public_id}/ajukan/", {"declaration": "on", "form_key": FORM_KEY}
    )
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED


# --- the declaration ---------------------------------------------------------------


def test_the_api_needs_the_declaration(ani, draft, client_for):
    # given a complete draft
    complete_draft(actor=ani, application=draft)
    client = english(client_for(ani))
    url = f"{API}/applications/{draft.public_id}/submit"
    # when it is submitted without a body, or with the declaration false
    no_body = client.post(url)
    empty = post_json(client, url, {})
    refused = post_json(client, url, {"declaration": False})
    # then each is refused on the declaration field and nothing starts
    assert no_body.status_code in (400, 422)
    assert empty.status_code == 422
    assert "declaration" in empty.json()["error"]["fields"]
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "declaration_required"
    assert "declaration" in refused.json()["error"]["fields"]
    assert_nothing_submitted(draft)
    # and with it, the draft is submitted and the audit entry records the declaration
    accepted = post_json(client, url, DECLARED)
    assert accepted.status_code == 200, accepted.content
    entry = AuditEntry.objects.get(action="applications.submitted")
    assert entry.data["declaration"] == 1


def test_the_page_refuses_a_submission_without_the_declaration(ani, draft, client_for):
    # given a complete draft
    complete_draft(actor=ani, application=draft)
    client = english(client_for(ani))
    # when Ani submits without ticking the box
    response = client.post(f"/permohonan/{draft.public_id}/ajukan/", {"form_key": FORM_KEY})
    # then the error summary (focused) points at the checkbox, and nothing starts
    assert response.status_code == 422
    html = response.content.decode()
    assert 'href="#id_declaration"' in html
    assert "Tick the box to declare" in html
    assert re.search(r'id="error-summary"[^>]*autofocus', html)
    assert_nothing_submitted(draft)


# --- defect 2: the check-your-answers page --------------------------------------


def test_the_check_page_shows_every_answer_with_a_change_link_and_flags_what_is_missing(
    ani, draft, client_for
):
    # given a draft with the family card number and the e-KTP only
    complete_draft(actor=ani, application=draft)
    draft.documents.filter(requirement_code="kartu-keluarga").delete()
    client = english(client_for(ani))
    # when Ani opens "check your answers" from her draft
    detail = client.get(f"/permohonan/{draft.public_id}/").content.decode()
    assert f"/permohonan/{draft.public_id}/periksa/" in detail
    response = client.get(f"/permohonan/{draft.public_id}/periksa/")
    # then she sees her answers, each with a way to change it
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check your answers before submitting" in html
    assert "Ani Rahmawati Putri" in html
    assert "•••• 0003" in html  # the NIK by its last digits only
    assert "1804041708850003" not in html
    assert "•••• 0007" in html  # the family card number, masked
    assert "/akun/identitas/" in html
    assert f"/permohonan/{draft.public_id}/#id_family_card_number" in html
    assert html.count(">Change<") >= 8
    # the uploaded document by name, the missing one flagged with a link to upload it
    assert "Electronic identity card (e-KTP)" in html
    assert "image/png" in html
    assert "Not uploaded yet" in html
    assert f"/permohonan/{draft.public_id}/#doc-kartu-keluarga" in html
    # and the declaration to tick before the submit button
    assert 'name="declaration"' in html
    assert "I declare that the information I have given is true and complete" in html
    assert 'name="form_key"' in html


def test_the_check_page_is_in_indonesian_by_default(ani, draft, client_for):
    html = client_for(ani).get(f"/permohonan/{draft.public_id}/periksa/").content.decode()
    assert "Periksa jawaban Anda sebelum mengajukan" in html
    assert "Saya menyatakan bahwa informasi yang saya berikan benar dan lengkap" in html


def test_someone_elses_check_and_confirmation_pages_answer_404(budi, draft, ani, client_for):
    client = client_for(budi)
    assert client.get(f"/permohonan/{draft.public_id}/periksa/").status_code == 404
    assert client.get(f"/permohonan/{draft.public_id}/terkirim/").status_code == 404
    posted = client.post(f"/permohonan/{draft.public_id}/ajukan/", {"declaration": "on"})
    assert posted.status_code == 404
    assert_nothing_submitted(draft)


def test_anonymous_visitors_are_sent_to_sign_in(draft):
    assert Client().get(f"/permohonan/{draft.public_id}/periksa/").status_code == 302


# --- defect 3: the confirmation page --------------------------------------------


def test_a_complete_draft_is_submitted_and_the_confirmation_says_what_happens_next(
    ani, draft, client_for
):
    # given a complete draft
    complete_draft(actor=ani, application=draft)
    client = client_for(ani)
    # when Ani ticks the declaration and submits
    response = client.post(
        f"/permohonan/{draft.public_id}/ajukan/", {"declaration": "on", "form_key": FORM_KEY}
    )
    # then she lands on the confirmation page
    assert response.status_code == 302
    assert response["Location"].endswith(f"/permohonan/{draft.public_id}/terkirim/")
    draft.refresh_from_db()
    assert draft.status == Status.REGISTERED
    html = client.get(response["Location"]).content.decode()
    # with the tracking code to copy, the service-standard date and the next steps
    assert f'<code id="tracking-code">{draft.tracking_code_display}</code>' in html
    assert "Perkiraan selesai (standar pelayanan)" in html
    day = draft.sla_due_date
    assert str(day.year) in html
    assert f"<dd>{day.day} " in html
    assert f'href="/janji-temu/permohonan/{draft.public_id}/"' in html
    assert 'href="/pembayaran/"' in html
    assert "jatuh tempo" not in html.lower()
    # and in English on request
    english_html = english(client).get(response["Location"]).content.decode()
    assert "What happens next" in english_html
    assert "Expected ready by (service standard)" in english_html


def test_the_confirmation_of_a_draft_sends_back_to_the_check_page(ani, draft, client_for):
    response = client_for(ani).get(f"/permohonan/{draft.public_id}/terkirim/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/permohonan/{draft.public_id}/periksa/")


# --- defect 4: a double tap does the work once ---------------------------------


def test_two_posts_with_the_same_form_key_make_one_draft(ani, client_for):
    # given the new-application form with its one-time key
    client = client_for(ani)
    form = client.get("/permohonan/baru/").content.decode()
    key = re.search(r'name="form_key" value="([^"]+)"', form).group(1)
    answer = {"service": "passport-ordinary-5y", "office": "ulp-liwa", "form_key": key}
    # when "Save draft" is tapped twice
    first = client.post("/permohonan/baru/", answer)
    second = client.post("/permohonan/baru/", answer)
    # then one draft exists and both answers lead to it
    draft = Application.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/permohonan/{draft.public_id}/"
    assert AuditEntry.objects.filter(action="applications.created").count() == 1
    # and a fresh form (a new key) makes a new draft
    fresh = re.search(
        r'name="form_key" value="([^"]+)"', client.get("/permohonan/baru/").content.decode()
    ).group(1)
    assert fresh != key
    client.post("/permohonan/baru/", {**answer, "form_key": fresh})
    assert Application.objects.count() == 2


def test_a_refused_post_keeps_its_form_key_for_the_corrected_one(ani, client_for):
    client = client_for(ani)
    # when the first tap is refused (no office chosen)
    refused = client.post(
        "/permohonan/baru/", {"service": "passport-ordinary-5y", "office": "", "form_key": FORM_KEY}
    )
    assert refused.status_code == 422
    assert f'value="{FORM_KEY}"' in refused.content.decode()
    # then the corrected answer with the same key still makes the draft
    made = client.post(
        "/permohonan/baru/",
        {"service": "passport-ordinary-5y", "office": "ulp-liwa", "form_key": FORM_KEY},
    )
    assert made.status_code == 302
    assert Application.objects.count() == 1


def test_a_form_key_belongs_to_its_account(ani, budi, client_for):
    answer = {"service": "passport-ordinary-5y", "office": "ulp-liwa", "form_key": FORM_KEY}
    client_for(ani).post("/permohonan/baru/", answer)
    theirs = client_for(budi).post("/permohonan/baru/", answer)
    # Budi's draft is his own, not a redirect to Ani's
    assert Application.objects.count() == 2
    assert theirs["Location"] == f"/permohonan/{Application.objects.get(applicant=budi).public_id}/"


def test_a_double_tap_on_submit_submits_once_and_both_land_on_the_confirmation(
    ani, draft, client_for
):
    complete_draft(actor=ani, application=draft)
    client = client_for(ani)
    body = {"declaration": "on", "form_key": FORM_KEY}
    first = client.post(f"/permohonan/{draft.public_id}/ajukan/", body)
    second = client.post(f"/permohonan/{draft.public_id}/ajukan/", body)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert first["Location"].endswith("/terkirim/")
    assert AuditEntry.objects.filter(action="applications.submitted").count() == 1


def test_the_confirmation_of_a_cancelled_application_sends_to_its_page(ani, submitted, client_for):
    from simi.applications.services import application_cancel

    application_cancel(actor=ani, application=submitted, reason="duplicate")
    response = client_for(ani).get(f"/permohonan/{submitted.public_id}/terkirim/")
    assert response.status_code == 302
    assert response["Location"] == f"/permohonan/{submitted.public_id}/"


def test_a_foreigners_check_page_shows_her_passport_sponsor_and_the_permit_to_choose(
    other_applicant, catalogue, client_for
):
    # given a foreigner's ITAS extension draft with the sponsor given, no permit chosen yet
    from simi.applications.services import application_details_save

    other_applicant.person = person_create(
        actor=None,
        data=PersonData(
            kind="foreigner",
            full_name="Lena Synthetic",
            nationality="DEU",
            passport_number="C01X00T47",
        ),
    )
    other_applicant.save(update_fields=["person"])
    app = application_create(
        actor=other_applicant, service_code="itas-extension-1y", office_code="kanim-kotabumi"
    )
    application_details_save(
        actor=other_applicant,
        application=app,
        sponsor_kind="person",
        sponsor_name="Wayan Synthetic",
        sponsor_contact="+6281234567890",
    )
    # when she checks her answers
    html = english(client_for(other_applicant)).get(f"/permohonan/{app.public_id}/periksa/")
    page = html.content.decode()
    # then her passport (masked), the sponsor, and the permit still to choose are shown
    assert "•••• 0T47 (DEU)" in page
    assert "Wayan Synthetic" in page
    assert "The permit to extend" in page
    assert "Not given yet" in page
    assert f"/permohonan/{app.public_id}/#details-title" in page
    assert "Family card" not in page
