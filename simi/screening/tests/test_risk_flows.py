"""The risk score in the screening job: attached to hits, a review item of
its own when high, recorded for the report; off with the switch. And it
never changes an application's path."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from simi.applications.models import Application
from simi.applications.services import application_create
from simi.applications.tests.complete import submit_complete
from simi.applications.tests.conftest import ani, budi  # noqa: F401 (fixtures)
from simi.audit.models import AuditEntry
from simi.oversight.register.services import foreigner_register
from simi.oversight.tests.conftest import passport_mrz
from simi.screening import flows
from simi.screening.models import ReviewItem, RiskModel, ScreeningRecord
from simi.screening.risk.features import FEATURE_NAMES
from simi.screening.services import control_set

from .conftest import BANNED, make_live
from .test_never_decides import _through_the_workflow


def active_model(intercept: float, **coefficients: float) -> RiskModel:
    """A hand-set active model: ``intercept`` alone sets everyone's score."""
    names = list(FEATURE_NAMES)
    now = timezone.now()
    return RiskModel.objects.create(
        version=(RiskModel.objects.count() + 1),
        status=RiskModel.Status.ACTIVE,
        activated_at=now,
        data_source=RiskModel.DataSource.SYNTHETIC,
        trained_at=now,
        feature_names=names,
        coefficients=[coefficients.get(n, 0.0) for n in names],
        intercept=intercept,
        means=[0.0] * len(names),
        scales=[1.0] * len(names),
        review_threshold=0.5,
        metrics={"auc": 0.8, "score_histogram": [10, 20, 30, 20, 10, 5, 3, 1, 1, 0]},
        label_definition="test model",
        feature_window_start=date(2023, 1, 1),
        cutoff=date(2025, 6, 30),
        label_window_end=date(2025, 12, 27),
    )


def _register(oversight, **mrz):
    return foreigner_register(
        actor=oversight, mrz_text=passport_mrz(**mrz), kecamatan_code="18.04.04"
    )


def _screen(foreigner):
    return flows.screen_subject(subject_type="foreigner", subject_id=foreigner.pk)


@pytest.mark.django_db
def test_a_hit_carries_the_active_models_score_and_reasons(admin_user, entry_ban, oversight):
    # given a live list with her name and a model that weighs watchlist matches
    active_model(-3.0, watchlist_best_score=4.0)
    make_live(admin_user, entry_ban, BANNED)
    foreigner = _register(oversight)
    # when she is screened
    _screen(foreigner)
    # then the review item shows the score, the model version and the reasons
    item = ReviewItem.objects.get()
    assert item.source == ReviewItem.Source.WATCHLIST
    assert item.risk_model_version == "v1"
    assert item.risk_score is not None
    assert item.risk_score > 0.5
    top = item.risk_reasons[0]
    assert top[0] == "watchlist_best_score"
    assert top[1] == pytest.approx(4.0 * item.top_score, abs=1e-3)
    record = ScreeningRecord.objects.get()
    assert record.review_item == item
    assert record.risk_score == item.risk_score
    assert (record.nationality, record.sex) == ("AUS", "F")


@pytest.mark.django_db
def test_a_high_score_alone_opens_a_risk_review_item_once(oversight):
    # given a model under which everyone scores high, and nobody on any list
    active_model(3.0)
    foreigner = _register(oversight, surname="BAKOLI", given="MIRENA", number="Y7654321")
    # when screened twice
    assert _screen(foreigner).items_opened == 1
    assert _screen(foreigner).items_opened == 0
    # then one risk item, with no hits, for a human to look at
    item = ReviewItem.objects.get()
    assert item.source == ReviewItem.Source.RISK_MODEL
    assert item.hits == []
    assert item.status == ReviewItem.Status.OPEN
    assert item.risk_score == pytest.approx(0.9526, abs=1e-4)
    opened = AuditEntry.objects.get(action="screening.review_opened")
    assert opened.data["source"] == "risk_model"
    assert ScreeningRecord.objects.get().review_item == item


@pytest.mark.django_db
def test_a_low_score_opens_nothing_but_is_recorded(oversight):
    active_model(-3.0)
    foreigner = _register(oversight)
    assert _screen(foreigner).items_opened == 0
    assert not ReviewItem.objects.exists()
    record = ScreeningRecord.objects.get()
    assert record.review_item is None
    assert record.risk_score == pytest.approx(0.0474, abs=1e-4)
    assert record.risk_model_version == "v1"


@pytest.mark.django_db
def test_without_an_active_model_nobody_is_scored(oversight):
    foreigner = _register(oversight)
    _screen(foreigner)
    record = ScreeningRecord.objects.get()
    assert record.risk_score is None
    assert record.risk_model_version == ""


@pytest.mark.django_db
def test_the_switch_stops_the_risk_score_too(admin_user, oversight):
    active_model(3.0)
    control_set(actor=admin_user, automatic_enabled=False, reason="Audit of the risk model")
    foreigner = _register(oversight)
    assert _screen(foreigner).skipped
    assert not ReviewItem.objects.exists()
    assert not ScreeningRecord.objects.exists()


@pytest.mark.django_db
def test_the_review_page_shows_the_score_with_its_reasons(client_for, oversight, supervisor):
    active_model(0.5, prior_violations=1.0, entries_12m=-0.2)
    foreigner = _register(oversight)
    _screen(foreigner)
    item = ReviewItem.objects.get()
    page = client_for(supervisor).get(f"/kantor/penyaringan/tinjauan/{item.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "0.62" in html or "0,62" in html
    assert "v1" in html
    queue = client_for(supervisor).get("/kantor/penyaringan/")
    assert str(item.public_id) in queue.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_high_risk_score_never_changes_an_applications_path(
    ani,  # noqa: F811
    budi,  # noqa: F811
    officer,
    supervisor,
    run_jobs,
):
    # given a model under which Ani scores high (everyone does) ...
    model = active_model(4.0)
    risky = submit_complete(
        actor=ani,
        application=application_create(
            actor=ani, service_code="passport-ordinary-5y", office_code="ulp-liwa"
        ),
    )
    run_jobs()
    # ... and Budi is screened with no model at all
    model.status = RiskModel.Status.RETIRED
    model.retired_at = timezone.now()
    model.save(update_fields=["status", "retired_at"])
    plain = submit_complete(
        actor=budi,
        application=application_create(
            actor=budi, service_code="passport-ordinary-5y", office_code="ulp-liwa"
        ),
    )
    run_jobs()
    # then only Ani's opened a risk review item
    item = ReviewItem.objects.get()
    assert item.source == ReviewItem.Source.RISK_MODEL
    assert item.subject_id == risky.public_id
    # and both applications move through every step the same way
    assert risky.status == plain.status == "registered"
    assert risky.sla_due_date == plain.sla_due_date
    assert _through_the_workflow(risky, officer, supervisor) == _through_the_workflow(
        plain, officer, supervisor
    )
    assert Application.objects.get(pk=risky.pk).status == "approved"
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN
