from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

import simi.urls  # noqa: F401  (API schemas built before time is frozen)
from simi.oversight.models import LodgingImport, LodgingReport

pytestmark = pytest.mark.django_db

HEADER = "full_name,nationality,passport_number,check_in,check_out\n"
NOW = "2026-05-02 12:00:00+07:00"
BODY = {
    "place": "hotel-liwa",
    "full_name": "Tesanu Volaki",
    "nationality": "AUS",
    "passport_number": "X12345678",
    "check_in": "2026-05-01T14:00:00",
}


@freeze_time(NOW)
def test_a_partner_sees_and_reports_only_its_own_place(partner, client_for, place, other_place):
    client = client_for(partner)
    home = client.get(reverse("oversight:home")).content.decode()
    assert place.name in home
    assert other_place.name not in home
    assert client.get(reverse("oversight:report", args=[other_place.code])).status_code == 404
    assert client.get(reverse("oversight:upload", args=[other_place.code])).status_code == 404
    response = client.post(
        "/api/v1/lodging/reports",
        {**BODY, "place": other_place.code},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert LodgingReport.objects.count() == 0


@freeze_time(NOW)
def test_the_api_report_is_idempotent_and_records_the_check_out(partner, client_for, place):
    client = client_for(partner)
    headers = {"HTTP_IDEMPOTENCY_KEY": "guest-1"}
    first = client.post("/api/v1/lodging/reports", BODY, content_type="application/json", **headers)
    again = client.post("/api/v1/lodging/reports", BODY, content_type="application/json", **headers)
    assert first.status_code == 201
    assert again.status_code == 201
    assert first.json() == again.json()
    assert LodgingReport.objects.count() == 1
    out = client.post(
        "/api/v1/lodging/reports",
        {**BODY, "check_out": "2026-05-02T10:00:00"},
        content_type="application/json",
    )
    assert out.status_code == 200
    assert out.json()["outcome"] == "checked_out"


@freeze_time(NOW)
def test_a_bad_api_report_is_a_field_error(partner, client_for, place):
    response = client_for(partner).post(
        "/api/v1/lodging/reports",
        {**BODY, "nationality": "A1"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert "nationality" in response.json()["error"]["fields"]


@freeze_time(NOW)
def test_the_web_form_reports_a_guest(partner, client_for, place):
    response = client_for(partner).post(
        reverse("oversight:report", args=[place.code]),
        {
            "full_name": "Miro Kadelu",
            "nationality": "NLD",
            "passport_number": "NX998877",
            "check_in": "2026-05-02T08:00",
        },
    )
    assert response.status_code == 302
    assert LodgingReport.objects.get().source == "web"


def _hours_ago(hours: int) -> str:
    return (timezone.localtime() - timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")


@pytest.mark.django_db(transaction=True)
def test_the_upload_page_queues_the_file_and_shows_progress(partner, client_for, place, run_jobs):
    client = client_for(partner)
    csv_file = SimpleUploadedFile(
        "guests.csv", (HEADER + f"Miro Kadelu,NLD,NX998877,{_hours_ago(5)},\n").encode()
    )
    response = client.post(reverse("oversight:upload", args=[place.code]), {"file": csv_file})
    assert response.status_code == 302
    upload = LodgingImport.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page  # polls while queued
    run_jobs()
    upload.refresh_from_db()
    assert upload.status == "done"
    progress = client.get(reverse("oversight:import_progress", args=[upload.public_id]))
    assert "hx-trigger" not in progress.content.decode()
    assert LodgingReport.objects.count() == 1


def test_the_upload_page_refuses_a_file_that_is_not_utf8(partner, client_for, place):
    csv_file = SimpleUploadedFile(
        "guests.csv", (HEADER + "José,ESP,PA1234567,2026-05-01 14:00,\n").encode("utf-16")
    )
    response = client_for(partner).post(
        reverse("oversight:upload", args=[place.code]),
        {"file": csv_file},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert "not UTF-8" in response.content.decode()
    assert LodgingImport.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_api_upload_reports_every_bad_row(partner, client_for, place, run_jobs):
    client = client_for(partner)
    data = HEADER + f"Miro Kadelu,NLD,NX998877,{_hours_ago(5)},\n,NLD,NX1,nope,\n"
    response = client.post(
        "/api/v1/lodging/imports",
        {"place": place.code, "file": SimpleUploadedFile("g.csv", data.encode())},
    )
    assert response.status_code == 202
    run_jobs()
    status = client.get(
        f"/api/v1/lodging/imports/{response.json()['id']}", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert status["status"] == "rejected"
    assert {(e["line"], e["code"]) for e in status["errors"]} == {
        (3, "name_required"),
        (3, "passport_format"),
        (3, "check_in_format"),
    }
    assert LodgingReport.objects.count() == 0


def test_staff_cannot_use_the_partner_pages(oversight, client_for, place):
    assert client_for(oversight).get(reverse("oversight:home")).status_code == 403
