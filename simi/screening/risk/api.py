"""/api/v1/screening/risk/...: the fairness and drift report and the risk
model versions (``screening:report``). Mounted on the screening router."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from simi.core.errors import NotFound, ValidationFailed
from simi.core.routing import ScopedRouter
from simi.screening.access import REPORT
from simi.screening.codes import Code
from simi.screening.models import RiskModel
from simi.screening.risk import report as fairness
from simi.screening.risk.card import features_of, model_card

router = ScopedRouter(tags=["screening"])


class GroupRateOut(Schema):
    group: str = Field(..., description="ICAO nationality code, or M / F / X / ? for sex.")
    screened: int
    flagged: int = Field(..., description="Screened people for whom a review item was opened.")
    confirmed: int = Field(..., description="Screened people whose review item was confirmed.")
    flag_rate: float | None
    flag_ratio: float | None = Field(..., description="Group flag rate / overall flag rate.")
    flag_outside_four_fifths: bool
    confirm_rate: float | None
    confirm_ratio: float | None
    confirm_outside_four_fifths: bool
    too_few_to_judge: bool = Field(..., description="Smaller than the minimum group size.")


class DimensionOut(Schema):
    dimension: str = Field(..., description="nationality or sex.")
    overall_flag_rate: float | None
    overall_confirm_rate: float | None
    groups: list[GroupRateOut]


class MonthOut(Schema):
    month: str = Field(..., description="YYYY-MM.")
    scored: int
    mean: float | None
    histogram: list[int] = Field(..., description="Counts per tenth of the score scale.")


class FairnessOut(Schema):
    """Flag and confirm rates by group (four-fifths rule) and score drift."""

    since: date
    until: date
    min_group: int
    screened: int
    dimensions: list[DimensionOut]
    months: list[MonthOut]
    model_version: str = Field(..., description="Active model, empty when none.")
    psi: float | None = Field(
        ..., description="Population stability index, training scores vs the last 30 days."
    )


class FeatureOut(Schema):
    name: str
    label: str
    coefficient: float
    mean: float
    scale: float


class RiskModelOut(Schema):
    """One version of the risk model and how it did on its test rows."""

    id: uuid.UUID
    version: str
    status: str
    data_source: str = Field(..., description="simi or synthetic (demo).")
    trained_at: datetime
    activated_at: datetime | None
    training_rows: int
    label_definition: str
    cutoff: date
    review_threshold: float
    auc: float | None
    precision: float | None
    recall: float | None
    features: list[FeatureOut]


def _model_out(model: RiskModel) -> RiskModelOut:
    m = model.metrics
    return RiskModelOut(
        id=model.public_id,
        version=model.label,
        status=model.status,
        data_source=model.data_source,
        trained_at=model.trained_at,
        activated_at=model.activated_at,
        training_rows=model.training_rows,
        label_definition=model.label_definition,
        cutoff=model.cutoff,
        review_threshold=model.review_threshold,
        auc=m.get("auc"),
        precision=m.get("precision"),
        recall=m.get("recall"),
        features=[FeatureOut(**f) for f in features_of(model)],
    )


@router.get(
    "/screening/risk/fairness", scope=REPORT, response=FairnessOut, summary="Fairness and drift"
)
def fairness_get(
    request: HttpRequest, since: date | None = None, until: date | None = None
) -> FairnessOut:
    """Flag and confirm rates by nationality and sex of the people screened
    in your offices (default: the last 365 days), each against the overall
    rate; ratios outside 0.8-1.25 are marked, groups below ``min_group``
    are too few to judge. Score drift per month and the PSI."""
    if since and until and since > until:
        raise ValidationFailed.for_field(
            "since", _("The start must not be after the end."), code=Code.RANGE
        )
    found = fairness.fairness_report(actor=request.user, since=since, until=until)
    return FairnessOut(
        since=found.since,
        until=found.until,
        min_group=found.min_group,
        screened=found.screened,
        dimensions=[
            DimensionOut(
                dimension=d.name,
                overall_flag_rate=d.overall_flag_rate,
                overall_confirm_rate=d.overall_confirm_rate,
                groups=[
                    GroupRateOut(
                        group=r.group,
                        screened=r.screened,
                        flagged=r.flagged,
                        confirmed=r.confirmed,
                        flag_rate=r.flag_rate,
                        flag_ratio=r.flag_ratio,
                        flag_outside_four_fifths=r.flag_outside,
                        confirm_rate=r.confirm_rate,
                        confirm_ratio=r.confirm_ratio,
                        confirm_outside_four_fifths=r.confirm_outside,
                        too_few_to_judge=r.too_few,
                    )
                    for r in d.rows
                ],
            )
            for d in found.dimensions
        ],
        months=[
            MonthOut(month=m.month, scored=m.count, mean=m.mean, histogram=m.histogram)
            for m in found.months
        ],
        model_version=found.model_version,
        psi=found.psi,
    )


@router.get(
    "/screening/risk/models",
    scope=REPORT,
    response=list[RiskModelOut],
    summary="Risk model versions",
)
def models_list(request: HttpRequest) -> list[RiskModelOut]:
    """Every trained version, newest first: status, data, metrics, coefficients."""
    return [_model_out(m) for m in model_card(actor=request.user)["versions"]]


@router.get(
    "/screening/risk/models/active",
    scope=REPORT,
    response=RiskModelOut,
    summary="Active risk model",
)
def model_active(request: HttpRequest) -> RiskModelOut:
    """The version that scores now; 404 when none is active."""
    active = model_card(actor=request.user)["active"]
    if active is None:
        raise NotFound()
    return _model_out(active)
