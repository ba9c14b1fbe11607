"""Scoring a person with the active risk model, with its reasons.

``risk_reasons`` on a review item: ``[[feature, contribution, value], ...]``
for every feature, largest contribution first (contribution = coefficient x
standardized value, in logit units; with the intercept they sum to the
logit). Codes and numbers only, no names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from simi.screening.models import ReviewItem, RiskModel
from simi.screening.risk.features import History, features_at, label_of, vector
from simi.screening.risk.logistic import sigmoid
from simi.screening.risk.training import as_logistic

Reason = list[Any]  # [feature name, contribution, value]


@dataclass(frozen=True)
class RiskResult:
    score: float
    logit: float
    intercept: float
    reasons: list[Reason]
    version: str
    threshold: float
    features: dict[str, float]

    @property
    def is_high(self) -> bool:
        return self.score >= self.threshold


def active_model() -> RiskModel | None:
    return RiskModel.objects.filter(status=RiskModel.Status.ACTIVE).first()


def score_features(model: RiskModel, values: dict[str, float]) -> RiskResult:
    fitted = as_logistic(model)
    row = vector(values, model.feature_names)
    contributions = fitted.contributions(row)
    logit = fitted.intercept + sum(contributions)
    reasons = sorted(
        (
            [name, round(c, 4), round(v, 4)]
            for name, c, v in zip(model.feature_names, contributions, row, strict=True)
        ),
        key=lambda r: (-r[1], r[0]),
    )
    return RiskResult(
        score=round(sigmoid(logit), 4),
        logit=logit,
        intercept=fitted.intercept,
        reasons=reasons,
        version=model.label,
        threshold=model.review_threshold,
        features=values,
    )


def score_history(
    model: RiskModel,
    history: History,
    *,
    as_of: date | None = None,
    current_best_score: float = 0.0,
    current_lost_stolen: bool = False,
) -> RiskResult:
    """Score one person's history; the screening that is running now adds
    its own best watchlist score and lost/stolen document hit."""
    values = features_at(history, as_of or timezone.localdate())
    values["watchlist_best_score"] = max(values["watchlist_best_score"], current_best_score)
    if current_lost_stolen:
        values["document_reported_lost"] = 1.0
    return score_features(model, values)


def top_reasons(reasons: list[Reason], k: int = 3) -> dict[str, list[dict[str, Any]]]:
    """The k largest positive contributions (raise the score) and the k most
    negative ones (lower it), each with its translated label."""

    def shown(r: Reason) -> dict[str, Any]:
        return {"feature": r[0], "label": label_of(r[0]), "contribution": r[1], "value": r[2]}

    up = sorted((r for r in reasons if r[1] > 0), key=lambda r: -r[1])[:k]
    down = sorted((r for r in reasons if r[1] < 0), key=lambda r: r[1])[:k]
    return {"up": [shown(r) for r in up], "down": [shown(r) for r in down]}


def review_risk(item: ReviewItem) -> dict[str, Any] | None:
    """What the review page shows about a review item's risk score."""
    if item.risk_score is None:
        return None
    return {
        "score": item.risk_score,
        "version": item.risk_model_version,
        **top_reasons(list(item.risk_reasons or [])),
    }
