"""The facts of the model card, read from the database: the active version
(or none), its features with labels and coefficients, metrics, fairness on
its test set, and every version so far."""

from __future__ import annotations

from typing import Any

from simi.accounts.actors import Actor
from simi.screening.access import REPORT, require_capability
from simi.screening.models import RiskModel
from simi.screening.risk.features import label_of
from simi.screening.risk.training import MIN_AUC


def features_of(model: RiskModel) -> list[dict[str, Any]]:
    return [
        {"name": name, "label": label_of(name), "coefficient": c, "mean": m, "scale": s}
        for name, c, m, s in zip(
            model.feature_names, model.coefficients, model.means, model.scales, strict=True
        )
    ]


def model_card(*, actor: Actor) -> dict[str, Any]:
    require_capability(actor, REPORT)
    versions = list(RiskModel.objects.select_related("trained_by", "activated_by"))
    active = next((m for m in versions if m.status == RiskModel.Status.ACTIVE), None)
    card: dict[str, Any] = {"active": active, "versions": versions, "min_auc": MIN_AUC}
    if active is not None:
        card["features"] = features_of(active)
        card["metrics"] = active.metrics
        card["fairness"] = active.metrics.get("fairness", {})
        card["synthetic"] = active.data_source == RiskModel.DataSource.SYNTHETIC
    return card
