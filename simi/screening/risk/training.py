"""Training, activating and retiring risk model versions.

The label (see LABEL_DEFINITION) is read strictly after the cutoff and the
features strictly up to it, from the same dated histories: nothing the
model learns from was unknown on the cutoff day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.audit.services import audit_record
from simi.core.errors import Conflict, ValidationFailed
from simi.screening.access import MANAGE, require_capability
from simi.screening.codes import Action, Code
from simi.screening.models import RiskModel
from simi.screening.risk import logistic, metrics, synthetic
from simi.screening.risk.features import (
    FEATURE_NAMES,
    History,
    features_at,
    label_between,
    load_histories,
    vector,
)

# Activation is refused below this test-set AUC: such a model ranks people
# hardly better than chance and would only send reviewers after noise.
MIN_AUC = 0.7
# Below these the own history is too thin to learn from: "auto" falls back
# to the synthetic history (and says so).
MIN_ROWS = 200
MIN_POSITIVES = 30
MIN_VARYING_FEATURES = 3
DEFAULT_HORIZON_DAYS = 180
FEATURE_WINDOW_DAYS = 365 * 3
# Minimum group size for the fairness table in the model's metrics.
MIN_GROUP = 30

LABEL_DEFINITION = (
    "1 when, in the label window (the day after the cutoff up to and including "
    "cutoff + horizon), SIMI recorded a violation of the person (overstay, lodging "
    "without a valid permit, or seen away from the registered address: detected_on "
    "in the window) or a reviewer confirmed a screening hit about the person "
    "(decided_at in the window); otherwise 0. Features use only facts dated on or "
    "before the cutoff (violations detected, lodging reports reported, movements, "
    "sightings, review items created or dismissed by then)."
)


@dataclass
class Dataset:
    rows: list[list[float]]
    labels: list[int]
    groups: list[tuple[str, str]]  # (nationality, sex): the fairness table only
    source: str
    cutoff: date
    horizon_days: int

    @property
    def positives(self) -> int:
        return sum(self.labels)


def dataset_from(
    histories: list[History], *, cutoff: date, horizon_days: int, source: str
) -> Dataset:
    end = cutoff + timedelta(days=horizon_days)
    return Dataset(
        rows=[vector(features_at(h, cutoff)) for h in histories],
        labels=[label_between(h, cutoff, end) for h in histories],
        groups=[(h.nationality, h.sex) for h in histories],
        source=source,
        cutoff=cutoff,
        horizon_days=horizon_days,
    )


def simi_dataset(
    *, cutoff: date | None = None, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> Dataset:
    """Every foreigner in the register, features up to the cutoff (default:
    today minus the horizon, so the label window is complete), label after."""
    if cutoff is None:
        cutoff = timezone.localdate() - timedelta(days=horizon_days)
    histories = list(load_histories().values())
    return dataset_from(
        histories, cutoff=cutoff, horizon_days=horizon_days, source=RiskModel.DataSource.SIMI
    )


def synthetic_dataset(*, count: int = 3000, seed: int = synthetic.SEED) -> Dataset:
    return dataset_from(
        synthetic.synthetic_histories(count, seed),
        cutoff=synthetic.CUTOFF,
        horizon_days=synthetic.HORIZON_DAYS,
        source=RiskModel.DataSource.SYNTHETIC,
    )


def varying_features(dataset: Dataset) -> int:
    """How many features take more than one value before the cutoff."""
    if not dataset.rows:
        return 0
    return sum(1 for j in range(len(dataset.rows[0])) if len({r[j] for r in dataset.rows}) > 1)


def thin(dataset: Dataset) -> bool:
    """Too little to learn from: few rows, few people of either outcome, or
    a history so young that almost no feature varies before the cutoff."""
    negatives = len(dataset.labels) - dataset.positives
    return (
        len(dataset.rows) < MIN_ROWS
        or min(dataset.positives, negatives) < MIN_POSITIVES
        or varying_features(dataset) < MIN_VARYING_FEATURES
    )


def _split(n: int, share: float, seed: int) -> tuple[list[int], list[int]]:
    order = list(range(n))
    random.Random(seed).shuffle(order)  # noqa: S311 - a reproducible split
    cut = int(n * share)
    return order[cut:], order[:cut]


def _fairness(
    scores: list[float], groups: list[tuple[str, str]], threshold: float
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for position, name in ((0, "nationality"), (1, "sex")):
        counts: dict[str, tuple[int, int]] = {}
        for score, group in zip(scores, groups, strict=True):
            size, flagged = counts.get(group[position] or "?", (0, 0))
            counts[group[position] or "?"] = (size + 1, flagged + (score >= threshold))
        overall, rows = metrics.four_fifths(counts, min_size=MIN_GROUP)
        out[name] = {
            "overall": overall,
            "groups": [
                {
                    "group": r.group,
                    "size": r.size,
                    "flagged": r.count,
                    "rate": r.rate,
                    "ratio": r.ratio,
                    "too_few": r.too_few,
                    "outside_four_fifths": r.flagged,
                }
                for r in rows
            ],
        }
    return out


def evaluate(
    model: logistic.Logistic, dataset: Dataset, indexes: list[int], threshold: float
) -> tuple[dict[str, Any], list[float]]:
    scores = [model.probability(dataset.rows[i]) for i in indexes]
    labels = [dataset.labels[i] for i in indexes]
    precision, recall, flagged = metrics.precision_recall(scores, labels, threshold)
    return {
        "auc": metrics.auc(scores, labels),
        "threshold": threshold,
        "precision": precision,
        "recall": recall,
        "flagged": flagged,
        "test_rows": len(indexes),
        "test_positives": sum(labels),
        "base_rate": sum(labels) / len(labels) if labels else None,
        "calibration": metrics.calibration(scores, labels),
        "fairness": _fairness(scores, [dataset.groups[i] for i in indexes], threshold),
    }, scores


@transaction.atomic
def risk_model_train(
    *,
    actor: Actor | None,
    dataset: Dataset,
    l2: float = 1.0,
    threshold: float = 0.5,
    test_share: float = 0.25,
    seed: int = 7,
) -> RiskModel:
    """Fit on a reproducible 75 % of the rows, measure on the other 25 %, and
    store the result as a draft version (audited); ``actor=None`` is the
    operators' command."""
    trainer = None if actor is None else require_capability(actor, MANAGE)
    if not 0 < threshold < 1:
        raise ValidationFailed.for_field(
            "threshold", _("Choose a threshold between 0 and 1."), code=Code.THRESHOLD_RANGE
        )
    if len(dataset.rows) < 20 or dataset.positives == 0 or dataset.positives == len(dataset.rows):
        raise ValidationFailed.for_field(
            "data", _("Too little data to train on: both outcomes are needed."), code=Code.DATA_THIN
        )
    train, test = _split(len(dataset.rows), test_share, seed)
    fitted = logistic.fit(
        [dataset.rows[i] for i in train], [dataset.labels[i] for i in train], l2=l2
    )
    measured, test_scores = evaluate(fitted, dataset, test, threshold)
    measured.update(
        {
            "train_rows": len(train),
            "train_positives": sum(dataset.labels[i] for i in train),
            "score_histogram": metrics.histogram(test_scores),
            "min_auc_to_activate": MIN_AUC,
        }
    )
    version = (RiskModel.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    model = RiskModel.objects.create(
        version=version,
        data_source=dataset.source,
        trained_at=timezone.now(),
        trained_by=trainer,
        feature_names=list(FEATURE_NAMES),
        coefficients=list(fitted.coefficients),
        intercept=fitted.intercept,
        means=list(fitted.standardizer.means),
        scales=list(fitted.standardizer.scales),
        l2=l2,
        review_threshold=threshold,
        metrics=measured,
        training_rows=len(dataset.rows),
        label_definition=LABEL_DEFINITION
        + f" Horizon: {dataset.horizon_days} days."
        + (
            " SYNTHETIC history (demo)." if dataset.source == RiskModel.DataSource.SYNTHETIC else ""
        ),
        feature_window_start=dataset.cutoff - timedelta(days=FEATURE_WINDOW_DAYS),
        cutoff=dataset.cutoff,
        label_window_end=dataset.cutoff + timedelta(days=dataset.horizon_days),
    )
    audit_record(
        actor=actor,
        action=Action.RISK_MODEL_TRAINED,
        target=model,
        data={
            "version": model.version,
            "data_source": model.data_source,
            "rows": model.training_rows,
            "auc": measured["auc"],
        },
    )
    return model


def as_logistic(model: RiskModel) -> logistic.Logistic:
    return logistic.Logistic(
        logistic.Standardizer(tuple(model.means), tuple(model.scales)),
        tuple(model.coefficients),
        model.intercept,
    )


@transaction.atomic
def risk_model_activate(*, actor: Actor | None, model: RiskModel) -> RiskModel:
    """Make this version the one that scores; the previous one is retired.
    Refused (409 ``auc_too_low``) below MIN_AUC."""
    activator = None if actor is None else require_capability(actor, MANAGE)
    locked = RiskModel.objects.select_for_update(no_key=True).get(pk=model.pk)
    measured = locked.metrics.get("auc")
    if measured is None or measured < MIN_AUC:
        raise Conflict(
            _("This model ranks people hardly better than chance (AUC %(auc)s < %(min)s).")
            % {"auc": "-" if measured is None else f"{measured:.3f}", "min": MIN_AUC},
            code=Code.AUC_TOO_LOW,
        )
    if locked.status == RiskModel.Status.ACTIVE:
        return locked
    now = timezone.now()
    previous = list(
        RiskModel.objects.select_for_update(no_key=True)
        .filter(status=RiskModel.Status.ACTIVE)
        .values_list("version", flat=True)
    )
    RiskModel.objects.filter(status=RiskModel.Status.ACTIVE).update(
        status=RiskModel.Status.RETIRED, retired_at=now, updated_at=now
    )
    locked.status = RiskModel.Status.ACTIVE
    locked.activated_at = now
    locked.activated_by = activator
    locked.save(update_fields=["status", "activated_at", "activated_by", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.RISK_MODEL_ACTIVATED,
        target=locked,
        data={"version": locked.version, "retired": previous, "auc": measured},
    )
    return locked


@transaction.atomic
def risk_model_retire(*, actor: Actor | None, model: RiskModel) -> RiskModel:
    """Stop scoring with this version (nothing replaces it)."""
    if actor is not None:
        require_capability(actor, MANAGE)
    locked = RiskModel.objects.select_for_update(no_key=True).get(pk=model.pk)
    if locked.status != RiskModel.Status.RETIRED:
        locked.status = RiskModel.Status.RETIRED
        locked.retired_at = timezone.now()
        locked.save(update_fields=["status", "retired_at", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.RISK_MODEL_RETIRED,
            target=locked,
            data={"version": locked.version},
        )
    return locked
