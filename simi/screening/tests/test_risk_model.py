"""The risk model's arithmetic: logistic regression, explanations, metrics,
training and the activation guard. Synthetic data only."""

from __future__ import annotations

import math
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from simi.audit.models import AuditEntry
from simi.core.errors import Conflict
from simi.screening.models import RiskModel
from simi.screening.risk import logistic, metrics, synthetic, training
from simi.screening.risk.features import FEATURE_NAMES
from simi.screening.risk.scoring import score_features, top_reasons


def _known_signal(n: int = 1500, seed: int = 1) -> tuple[list[list[float]], list[int]]:
    """y depends on x0 (up) and x1 (down); x2 is noise."""
    rng = random.Random(seed)
    rows, labels = [], []
    for _ in range(n):
        x = [rng.gauss(0, 1), rng.gauss(5, 2), rng.gauss(0, 1)]
        p = logistic.sigmoid(-1 + 1.5 * x[0] - 0.5 * (x[1] - 5))
        rows.append(x)
        labels.append(1 if rng.random() < p else 0)
    return rows, labels


def test_it_recovers_the_direction_of_a_known_signal():
    rows, labels = _known_signal()
    fitted = logistic.fit(rows, labels, l2=1.0)
    up, down, noise = fitted.coefficients
    assert up > 1.0
    assert down < -0.5
    assert abs(noise) < 0.2
    scores = [fitted.probability(r) for r in rows]
    assert metrics.auc(scores, labels) > 0.8


def test_contributions_and_the_intercept_add_up_to_the_logit():
    rows, labels = _known_signal(400)
    fitted = logistic.fit(rows, labels)
    for row in rows[:20]:
        total = fitted.intercept + sum(fitted.contributions(row))
        assert math.isclose(total, fitted.logit(row), abs_tol=1e-12)
        assert math.isclose(logistic.sigmoid(total), fitted.probability(row))


def _model(coefficients: list[float], intercept: float = -1.0) -> RiskModel:
    names = list(FEATURE_NAMES)
    return RiskModel(
        version=1,
        feature_names=names,
        coefficients=coefficients,
        intercept=intercept,
        means=[0.0] * len(names),
        scales=[1.0] * len(names),
        review_threshold=0.5,
    )


def test_the_top_reasons_are_the_largest_contributions_up_and_down():
    coefficients = [0.0] * len(FEATURE_NAMES)
    coefficients[0] = 0.5  # prior_violations
    coefficients[1] = 0.01  # max_overstay_days
    coefficients[4] = -0.4  # entries_12m
    coefficients[10] = 2.0  # watchlist_best_score
    values = dict.fromkeys(FEATURE_NAMES, 0.0) | {
        "prior_violations": 2,
        "max_overstay_days": 30,
        "entries_12m": 1,
        "watchlist_best_score": 0.9,
    }
    result = score_features(_model(coefficients), values)
    # the reasons and the intercept add up to the score's logit
    assert math.isclose(
        result.intercept + sum(r[1] for r in result.reasons), result.logit, abs_tol=1e-3
    )
    assert math.isclose(result.score, logistic.sigmoid(result.logit), abs_tol=1e-4)
    shown = top_reasons(result.reasons, k=2)
    assert [r["feature"] for r in shown["up"]] == ["watchlist_best_score", "prior_violations"]
    assert [r["feature"] for r in shown["down"]] == ["entries_12m"]
    assert shown["up"][0]["contribution"] == pytest.approx(1.8)
    assert shown["up"][0]["label"]  # a human-readable label, not the code


def test_auc_counts_ties_as_half():
    assert metrics.auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]) == 1.0
    assert metrics.auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]) == 0.0
    assert metrics.auc([0.5, 0.5], [0, 1]) == 0.5
    assert metrics.auc([0.5, 0.6], [1, 1]) is None


def test_precision_and_recall_at_the_threshold():
    precision, recall, flagged = metrics.precision_recall([0.9, 0.7, 0.4, 0.2], [1, 0, 1, 0], 0.5)
    assert (precision, recall, flagged) == (0.5, 0.5, 2)


def test_psi_is_about_zero_for_the_same_distribution_and_large_for_a_shifted_one():
    rng = random.Random(3)
    base = [rng.betavariate(2, 5) for _ in range(5000)]
    same = [rng.betavariate(2, 5) for _ in range(5000)]
    shifted = [rng.betavariate(5, 2) for _ in range(5000)]
    expected = metrics.histogram(base)
    assert metrics.psi(expected, expected) == pytest.approx(0.0, abs=1e-12)
    assert metrics.psi(expected, metrics.histogram(same)) < 0.02
    assert metrics.psi(expected, metrics.histogram(shifted)) > 1.0
    assert metrics.psi(expected, [0] * 10) is None


def test_four_fifths_flags_a_disparate_group_and_ignores_tiny_ones():
    overall, rows = metrics.four_fifths(
        {"AAA": (1000, 100), "BBB": (500, 25), "CCC": (400, 40), "DDD": (5, 5)}, min_size=30
    )
    by = {r.group: r for r in rows}
    assert overall == pytest.approx(170 / 1905)
    assert by["BBB"].flagged  # 5 % against ~8.9 %: ratio ~0.56
    assert by["BBB"].ratio == pytest.approx(0.05 / overall)
    assert not by["AAA"].flagged
    assert not by["CCC"].flagged
    # everyone in DDD was flagged, but five people are too few to judge
    assert by["DDD"].too_few
    assert not by["DDD"].flagged
    assert next(r.group for r in rows) == "AAA"  # largest group first


def test_four_fifths_flags_a_rate_too_high_as_well():
    _overall, rows = metrics.four_fifths({"A": (100, 10), "B": (100, 30)}, min_size=30)
    assert {r.group: r.flagged for r in rows} == {"A": True, "B": True}


@pytest.mark.django_db
def test_training_on_a_synthetic_history_reaches_a_useful_auc_and_activates():
    # given the synthetic history, whose features carry a known signal
    dataset = training.synthetic_dataset(count=2000)
    # when a model is trained and activated
    model = training.risk_model_train(actor=None, dataset=dataset)
    assert model.status == RiskModel.Status.DRAFT
    assert model.metrics["auc"] >= 0.72
    assert model.data_source == RiskModel.DataSource.SYNTHETIC
    assert model.metrics["test_rows"] == 500
    assert sum(b["count"] for b in model.metrics["calibration"]) == 500
    assert set(model.metrics["fairness"]) == {"nationality", "sex"}
    training.risk_model_activate(actor=None, model=model)
    # then it is the one active model, and both steps are audited
    assert RiskModel.objects.get(status="active") == model
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"screening.risk_model_trained", "screening.risk_model_activated"} <= actions
    # a second activated version retires the first
    second = training.risk_model_train(actor=None, dataset=dataset, l2=5.0)
    training.risk_model_activate(actor=None, model=second)
    model.refresh_from_db()
    assert model.status == RiskModel.Status.RETIRED
    assert RiskModel.objects.filter(status="active").count() == 1


@pytest.mark.django_db
def test_activation_refuses_a_model_no_better_than_chance():
    # given a history whose outcome is a coin flip unrelated to the features
    noise = training.dataset_from(
        synthetic.noise_histories(1200),
        cutoff=synthetic.CUTOFF,
        horizon_days=synthetic.HORIZON_DAYS,
        source=RiskModel.DataSource.SYNTHETIC,
    )
    model = training.risk_model_train(actor=None, dataset=noise)
    assert model.metrics["auc"] < training.MIN_AUC
    # when someone tries to activate it: refused, and nothing is active
    with pytest.raises(Conflict) as caught:
        training.risk_model_activate(actor=None, model=model)
    assert caught.value.code == "auc_too_low"
    assert not RiskModel.objects.filter(status="active").exists()


@pytest.mark.django_db
def test_the_command_says_it_trains_on_synthetic_data_when_the_register_is_empty(capsys):
    call_command("train_risk_model", "--activate", "--synthetic-rows", "1500")
    out = capsys.readouterr().out
    assert "SYNTHETIC" in out
    assert "AUC" in out
    assert "is now active" in out
    assert RiskModel.objects.get().data_source == "synthetic"


@pytest.mark.django_db
def test_the_command_refuses_to_activate_a_model_trained_on_too_little(capsys):
    # the empty register has no rows at all: --data simi cannot train
    with pytest.raises(CommandError):
        call_command("train_risk_model", "--data", "simi", "--activate")
    assert not RiskModel.objects.exists()
