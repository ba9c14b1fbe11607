"""Applicant pages: list, new draft, detail, submit and cancel."""

import pytest
from django.test import Client

from simi.applications.models import Application, Status
from simi.applications.services import application_create
from simi.applications.tests.complete import complete_draft, submit_complete

pytestmark = pytest.mark.django_db


def test_the_list_shows_an_empty_state(ani, client_for):
    client = client_for(ani)
    client.cookies["django_language"] = "en"
    response = client.get("/permohonan/")
    assert response.status_code == 200
    assert "You have no applications yet." in response.content.decode()


def test_an_applicant_applies_submits_and_cancels_through_the_pages(ani, client_for):
    client = client_for(ani)
    client.cookies["django_language"] = "en"
    # given the new-application form offers citizen services only
    form = client.get("/permohonan/baru/").content.decode()
    assert "passport-ordinary-5y" in form
    assert "itk-30d" not in form
    # when Ani saves a draft
    response = client.post(
        "/permohonan/baru/", {"service": "passport-ordinary-5y", "office": "ulp-liwa"}
    )
    app = Application.objects.get()
    assert response.status_code == 302
    assert str(app.public_id) in response["Location"]
    # then the draft page shows the fee, the standard and the documents
    page = client.get(response["Location"]).content.decode()
    assert "350.000" in page
    assert "4 working days" in page
    assert "Family card (Kartu Keluarga)" in page
    assert "Upload a clear scan or photo of each original" in page
    # when she completes it, checks her answers, declares and submits, then cancels it
    complete_draft(actor=ani, application=app)
    assert f"/permohonan/{app.public_id}/periksa/" in page
    assert (
        "Check your answers" in client.get(f"/permohonan/{app.public_id}/periksa/").content.decode()
    )
    client.post(f"/permohonan/{app.public_id}/ajukan/", {"declaration": "on"})
    app.refresh_from_db()
    assert app.status == Status.REGISTERED
    assert app.tracking_code_display in client.get(f"/permohonan/{app.public_id}/").content.decode()
    client.post(f"/permohonan/{app.public_id}/batalkan/", {"reason": "wrong_service"})
    app.refresh_from_db()
    assert app.status == Status.CANCELLED


def test_an_applicant_without_identity_data_is_sent_to_enter_it(applicant, catalogue, client_for):
    response = client_for(applicant).get("/permohonan/baru/")
    assert response.status_code == 200
    assert "/akun/identitas/" in response.content.decode()


def test_a_service_error_shows_on_the_form(ani, client_for):
    client = client_for(ani)
    response = client.post("/permohonan/baru/", {"service": "passport-ordinary-5y", "office": "x"})
    assert response.status_code == 422
    assert Application.objects.count() == 0


def test_staff_cannot_open_the_form_and_anonymous_must_sign_in(officer, catalogue, client_for):
    assert client_for(officer).get("/permohonan/baru/").status_code == 403
    assert Client().get("/permohonan/baru/").status_code == 302


def test_another_applicants_pages_answer_404(budi, draft, client_for):
    client = client_for(budi)
    assert client.get(f"/permohonan/{draft.public_id}/").status_code == 404
    submit = client.post(f"/permohonan/{draft.public_id}/ajukan/", {"declaration": "on"})
    assert submit.status_code == 404
    assert (
        client.post(f"/permohonan/{draft.public_id}/batalkan/", {"reason": "other"}).status_code
        == 404
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_list_names_the_service_in_the_readers_language(client_for, ani):
    code = "passport-ordinary-5y"
    draft = application_create(actor=ani, service_code=code, office_code="ulp-liwa")
    submit_complete(actor=ani, application=draft)
    client = client_for(ani)
    assert "Paspor biasa" in client.get("/permohonan/").content.decode()
    client.cookies["django_language"] = "en"
    assert "Ordinary passport" in client.get("/permohonan/").content.decode()


def test_the_service_standard_date_is_not_called_a_payment_deadline(
    client, client_for, submitted, ani, officer
):
    # given a submitted application, read in Indonesian by its owner and by tracking
    client.cookies["django_language"] = "id"
    owner = client_for(ani)
    owner.cookies["django_language"] = "id"
    pages = [
        owner.get(f"/permohonan/{submitted.public_id}/").content.decode(),
        client.get("/permohonan/lacak/", {"code": submitted.tracking_code}).content.decode(),
    ]
    # then the date is the expected completion date, never "jatuh tempo" (read as a bill's due date)
    for html in pages:
        assert "jatuh tempo" not in html.lower()
    assert "Perkiraan selesai" in pages[0]
    # nor in the back office's queue and detail, where officers read the same date
    desk = client_for(officer)
    desk.cookies["django_language"] = "id"
    for url in ("/kantor/permohonan/", f"/kantor/permohonan/{submitted.public_id}/"):
        html = desk.get(url).content.decode()
        assert "jatuh tempo" not in html.lower()
        assert "Target selesai" in html
    assert "Perkiraan selesai" in pages[1]
    # and the cancel button looks like a secondary button, not like submit
    assert 'class="button button-secondary">Batalkan permohonan' in pages[0]
