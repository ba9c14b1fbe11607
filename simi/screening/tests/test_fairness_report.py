"""The fairness and oversight report and the model card: who sees them,
what they flag, the audited export."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from simi.audit.models import AuditEntry
from simi.screening.models import ReviewItem, ScreeningRecord
from simi.screening.risk.report import fairness_report

from .test_risk_flows import active_model

pytestmark = pytest.mark.django_db


def _screened(office, nationality: str, sex: str, *, flagged=False, confirmed=False, score=None):
    subject = uuid.uuid4()
    item = None
    if flagged:
        item = ReviewItem.objects.create(
            subject_type="foreigner",
            subject_id=subject,
            subject_key=f"person:{subject}",
            office=office,
            hits=[],
            hits_key=uuid.uuid4().hex,
            subject_fingerprint="x",
            status=ReviewItem.Status.CONFIRMED if confirmed else ReviewItem.Status.OPEN,
            decided_at=timezone.now() if confirmed else None,
            decision_reason="Checked against the record." if confirmed else None,
        )
    return ScreeningRecord.objects.create(
        subject_type="foreigner",
        subject_id=subject,
        subject_key=f"person:{subject}",
        office=office,
        nationality=nationality,
        sex=sex,
        screened_at=timezone.now(),
        review_item=item,
        risk_score=score,
        risk_model_version="v1" if score is not None else "",
    )


@pytest.fixture
def screened(kotabumi):
    # AUS: 100 screened, 10 flagged (5 confirmed); JPN: 100 screened, 30 flagged
    # (6 confirmed); NOR: 3 screened, all flagged - too few to judge.
    for i in range(100):
        _screened(kotabumi, "AUS", "F" if i % 2 else "M", flagged=i < 10, confirmed=i < 5)
        _screened(kotabumi, "JPN", "M" if i % 2 else "F", flagged=i < 30, confirmed=i < 6)
    for _ in range(3):
        _screened(kotabumi, "NOR", "X", flagged=True)


def test_it_flags_a_disparate_nationality_and_ignores_a_tiny_one(analyst, screened):
    report = fairness_report(actor=analyst)
    assert report.screened == 203
    nationality = next(d for d in report.dimensions if d.name == "nationality")
    rows = {r.group: r for r in nationality.rows}
    assert nationality.overall_flag_rate == pytest.approx(43 / 203)
    assert rows["JPN"].flag_outside
    assert rows["JPN"].flag_ratio > 1.25
    assert rows["AUS"].flag_outside
    assert rows["AUS"].flag_ratio < 0.8
    assert rows["AUS"].confirmed == 5
    assert not rows["AUS"].confirm_outside
    assert rows["NOR"].too_few
    assert not rows["NOR"].flag_outside
    sex = {r.group: r for r in next(d for d in report.dimensions if d.name == "sex").rows}
    assert not sex["F"].flag_outside
    assert not sex["M"].flag_outside
    assert sex["X"].too_few


def test_the_drift_section_compares_recent_scores_with_training(analyst, kotabumi):
    active_model(0.0)  # training histogram concentrated on low scores
    for i in range(60):
        _screened(kotabumi, "AUS", "F", score=0.85 + (i % 10) / 100)
    report = fairness_report(actor=analyst)
    assert report.model_version == "v1"
    assert report.months[-1].count == 60
    assert report.months[-1].mean == pytest.approx(0.895, abs=1e-3)
    assert report.psi is not None
    assert report.psi > 1.0


def test_an_office_sees_only_its_own_screenings(outsider, supervisor, screened):
    assert fairness_report(actor=supervisor).screened == 203
    assert fairness_report(actor=outsider).screened == 0


def test_the_analyst_reads_the_page_and_the_api(client_for, analyst, screened):
    client = client_for(analyst)
    page = client.get("/kantor/penyaringan/risiko/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "JPN" in html
    assert "/kantor/penyaringan/kendali/" in html  # the switch is one click away
    api = client.get("/api/v1/screening/risk/fairness")
    assert api.status_code == 200
    nationality = api.json()["dimensions"][0]
    jpn = next(g for g in nationality["groups"] if g["group"] == "JPN")
    assert jpn["flag_outside_four_fifths"] is True


def test_the_csv_export_is_audited(client_for, analyst, screened):
    response = client_for(analyst).get("/kantor/penyaringan/risiko/ekspor.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    nor = next(r for r in rows if r["group"] == "NOR")
    assert nor["too_few_to_judge"] == "1"
    assert nor["flag_outside_four_fifths"] == "0"
    assert AuditEntry.objects.filter(action="screening.fairness_exported").count() == 1


@pytest.mark.parametrize("persona", ["applicant", "partner", "officer", "oversight"])
def test_people_without_the_report_capability_are_refused(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/kantor/penyaringan/risiko/").status_code == 403
    assert client.get("/kantor/penyaringan/risiko/model/").status_code == 403
    assert client.get("/kantor/penyaringan/risiko/ekspor.csv").status_code == 403
    assert client.get("/api/v1/screening/risk/fairness").status_code == 403
    assert not AuditEntry.objects.filter(action="screening.fairness_exported").exists()


def test_the_model_card_shows_the_active_version(client_for, analyst):
    client = client_for(analyst)
    empty = client.get("/kantor/penyaringan/risiko/model/")
    assert empty.status_code == 200
    assert client.get("/api/v1/screening/risk/models/active").status_code == 404
    old = active_model(-1.0)
    old.status = "retired"
    old.retired_at = timezone.now() - timedelta(days=1)
    old.save(update_fields=["status", "retired_at"])
    active_model(-2.0, prior_violations=0.7)
    page = client.get("/kantor/penyaringan/risiko/model/")
    html = page.content.decode()
    assert "v2" in html
    assert "v1" in html
    assert "prior_violations" in html
    assert "sintetis" in html.lower()  # its (synthetic) training data is said plainly
    api = client.get("/api/v1/screening/risk/models/active").json()
    assert api["version"] == "v2"
    assert api["data_source"] == "synthetic"
    assert [m["version"] for m in client.get("/api/v1/screening/risk/models").json()] == [
        "v2",
        "v1",
    ]
