import io

import pytest
from openpyxl import load_workbook

from simi.audit.models import AuditEntry
from simi.enforcement.actions import action_propose
from simi.enforcement.geomap import projected_map
from simi.enforcement.models import ActionStatus, Case
from simi.enforcement.services import case_open_or_join

from .conftest import register

pytestmark = pytest.mark.django_db

BASE = "/kantor/pengawasan/kasus/"
GROUNDS = "Overstay of twelve days found by the daily detection; charge under Art. 78."


@pytest.fixture
def case(oversight, violation):
    opened, _ = case_open_or_join(actor=oversight, violation=violation)
    return opened


def test_the_case_page_shows_the_case_and_is_audited(client_for, oversight, case, violation):
    response = client_for(oversight).get(f"{BASE}{case.public_id}/")
    assert response.status_code == 200
    body = response.content.decode()
    violation.refresh_from_db()
    assert "VOLAKI" in body
    assert f"Rp{violation.charge_total}" in body
    assert len(response.context["file"].events) == 2
    assert AuditEntry.objects.filter(action="enforcement.case_viewed").count() == 1


def test_another_office_sees_nothing(client_for, oversight_elsewhere, case):
    client = client_for(oversight_elsewhere)
    assert client.get(f"{BASE}{case.public_id}/").status_code == 404
    assert client.get(BASE).context["page"].paginator.count == 0
    api = client.get("/api/v1/enforcement/cases")
    assert api.status_code == 200
    assert api.json()["count"] == 0
    assert client.get(f"/api/v1/enforcement/cases/{case.public_id}").status_code == 404
    dashboard = client.get("/api/v1/enforcement/dashboard").json()
    assert dashboard["foreigners_total"] == 0
    assert all(row["count"] == 0 for row in dashboard["open_cases"])


def test_the_proposer_is_offered_no_approval_and_the_form_refuses(
    client_for, oversight, supervisor, case
):
    action = action_propose(actor=oversight, case=case, code="deportation", grounds=GROUNDS)
    page = client_for(oversight).get(f"{BASE}{case.public_id}/").content.decode()
    assert f"{BASE}tindakan/{action.public_id}/setujui/" not in page
    refused = client_for(oversight).post(
        f"{BASE}tindakan/{action.public_id}/setujui/", {"reason": "Approving my own."}
    )
    assert refused.status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.PROPOSED
    # the supervisor sees the form and approves
    page = client_for(supervisor).get(f"{BASE}{case.public_id}/").content.decode()
    assert f"{BASE}tindakan/{action.public_id}/setujui/" in page
    done = client_for(supervisor).post(
        f"{BASE}tindakan/{action.public_id}/setujui/", {"reason": "Checked; deport."}
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.APPROVED


def test_a_short_note_is_refused_on_the_form(client_for, oversight, case):
    response = client_for(oversight).post(f"{BASE}{case.public_id}/catatan/", {"text": ""})
    assert response.status_code == 422
    assert case.notes.count() == 0


def test_the_dashboard_links_each_number_to_its_list(client_for, oversight, case):
    response = client_for(oversight).get(f"{BASE}dasbor/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/kantor/pengawasan/?kecamatan=18.04.04" in body
    assert "/kantor/pengawasan/pelanggaran/?status=open&amp;kind=overstay" in body
    assert "/kantor/pengawasan/?expiring_within=30" in body
    assert f"{BASE}?status=open" in body
    assert "<svg" in body


def test_the_map_has_one_path_per_kecamatan_with_its_count(client_for, oversight, foreigner):
    register(oversight, "Z11111111", kecamatan="18.04.04")
    register(oversight, "Z22222222", kecamatan="18.04.11")
    svg = client_for(oversight).get(f"{BASE}dasbor/peta.svg").content.decode()
    shapes = projected_map().shapes
    assert len(shapes) == 15
    assert svg.count("<path ") == len(shapes)
    # the title names the kecamatan and its count (in the reader's language)
    assert 'data-code="18.04.04"><title>Balik Bukit: 2 ' in svg
    assert 'data-code="18.04.11"><title>Sukau: 1 ' in svg
    assert 'data-code="18.04.05"><title>Sumber Jaya: 0 ' in svg


def test_the_xlsx_export_opens_and_has_the_rows_and_is_audited(client_for, oversight, case):
    response = client_for(oversight).get(f"{BASE}ekspor.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "case_id"
    assert [r[0] for r in rows[1:]] == [str(case.public_id)]
    assert rows[1][9] == 1  # violations
    entry = AuditEntry.objects.get(action="enforcement.cases_exported")
    assert entry.data == {"format": "xlsx", "rows": 1, "status": ""}


def test_the_counts_export_as_csv_is_audited(client_for, oversight, foreigner):
    response = client_for(oversight).get(f"{BASE}dasbor/ekspor.csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "dimension,code,name,foreigners"
    assert "kecamatan,18.04.04,Balik Bukit,1" in lines
    assert "nationality,AUS,AUS,1" in lines
    assert AuditEntry.objects.filter(action="enforcement.counts_exported").count() == 1
    xlsx = client_for(oversight).get(f"{BASE}dasbor/ekspor.xlsx")
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    assert len(list(book.active.iter_rows())) == 1 + 15 + 1
    assert AuditEntry.objects.filter(action="enforcement.counts_exported").count() == 2


def test_the_api_opens_a_case_once_per_idempotency_key(client_for, oversight, violation):
    client = client_for(oversight)
    body = {"violation": str(violation.public_id)}
    first = client.post(
        "/api/v1/enforcement/cases",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="open-1",
    )
    again = client.post(
        "/api/v1/enforcement/cases",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="open-1",
    )
    assert first.status_code == 201
    assert again.status_code == 201
    assert again.json() == first.json()
    joined = client.post("/api/v1/enforcement/cases", body, content_type="application/json")
    assert joined.status_code == 200
    assert Case.objects.count() == 1


def test_the_api_proposes_and_a_supervisor_decides(client_for, oversight, supervisor, case):
    proposed = client_for(oversight).post(
        f"/api/v1/enforcement/cases/{case.public_id}/actions",
        {"action": "overstay_charge", "grounds": GROUNDS},
        content_type="application/json",
    )
    assert proposed.status_code == 201, proposed.content
    action_id = proposed.json()["id"]
    own = client_for(oversight).post(
        f"/api/v1/enforcement/actions/{action_id}/approve",
        {"reason": "Approve it myself"},
        content_type="application/json",
    )
    assert own.status_code == 403
    approved = client_for(supervisor).post(
        f"/api/v1/enforcement/actions/{action_id}/approve",
        {"reason": "Grounds and amount checked."},
        content_type="application/json",
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["bill_amount"] == case.violation_links.get().violation.charge_total
    detail = client_for(supervisor).get(f"/api/v1/enforcement/cases/{case.public_id}").json()
    kinds = [e["kind"] for e in detail["timeline"]]
    assert kinds[-3:] == ["action_approved", "charge_billed", "action_effective"]


def test_the_api_refuses_an_unknown_action_with_a_field_error(client_for, oversight, case):
    response = client_for(oversight).post(
        f"/api/v1/enforcement/cases/{case.public_id}/actions",
        {"action": "flogging", "grounds": GROUNDS},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "action" in response.json()["error"]["fields"]


def test_evidence_is_stored_encrypted_and_reading_it_is_audited(client_for, oversight, case):
    from django.core.files.storage import default_storage
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    png = buffer.getvalue()
    client = client_for(oversight)
    buffer.name = "foto.png"
    upload = client.post(
        f"/api/v1/enforcement/cases/{case.public_id}/evidence",
        {"file": io.BytesIO(png), "description": "Photo at the address"},
    )
    assert upload.status_code == 201, upload.content
    item = case.evidence.get()
    with default_storage.open(item.storage_name, "rb") as handle:
        assert handle.read() != png
    download = client.get(f"{BASE}{case.public_id}/bukti/{item.public_id}/")
    assert download.status_code == 200
    assert download.content == png
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert download["Content-Disposition"] == f'attachment; filename="bukti-{item.public_id}.png"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(action="enforcement.evidence_viewed").count() == 1
    bad = client.post(
        f"/api/v1/enforcement/cases/{case.public_id}/evidence",
        {"file": io.BytesIO(b"#!/bin/sh\necho hi\n")},
    )
    assert bad.status_code == 422


@pytest.mark.parametrize(
    "name",
    [
        "open action script, escaped names",
        "open action script in a compressed object stream",
        "web address on a link, escaped",
        "embedded file",
    ],
)
def test_evidence_that_would_act_when_opened_is_refused(client_for, oversight, case, name):
    from simi.core.tests.pdfs import HAND_WRITTEN_HOSTILE

    # given an officer adding a PDF to the case file
    file = io.BytesIO(HAND_WRITTEN_HOSTILE[name])
    file.name = "bukti.pdf"
    # when the PDF carries a script, a link or an attachment
    response = client_for(oversight).post(
        f"/api/v1/enforcement/cases/{case.public_id}/evidence",
        {"file": file, "description": "Scan of the lease"},
    )
    # then it is refused on the file field and the case file stays empty
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "pdf_active_content"
    assert "file" in response.json()["error"]["fields"]
    assert not case.evidence.exists()
