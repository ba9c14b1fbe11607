"""The risk score inside the screening job (``simi.screening.flows``).

For each screened person: score with the active model (if any), attach the
score and its reasons to the review item a hit opens, open a review item of
source ``risk_model`` when the score alone is high, and keep one
``ScreeningRecord`` for the fairness and drift report.

Like a watchlist hit, a score only ever opens a review item for a human:
it never blocks, cancels, delays or decides anything, and nothing outside
screening reads it. A failure here is logged and the screening goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from simi.audit.services import audit_record
from simi.screening.codes import Action
from simi.screening.models import ReviewItem, ScreeningRecord
from simi.screening.risk.features import person_history, person_id_for_key
from simi.screening.risk.scoring import RiskResult, active_model, score_history

if TYPE_CHECKING:
    from simi.screening.subjects import Target

log = logging.getLogger(__name__)


def risk_fields(risk: RiskResult | None) -> dict[str, Any]:
    """The review item's risk columns for a score (empty when none)."""
    if risk is None:
        return {}
    return {
        "risk_score": risk.score,
        "risk_reasons": risk.reasons,
        "risk_model_version": risk.version,
    }


def assess(target: Target, hits: list[dict[str, Any]]) -> RiskResult | None:
    """The active model's score of the person behind ``target``, or None
    (no active model, no person in SIMI, or a failure, which is logged)."""
    try:
        model = active_model()
        if model is None:
            return None
        person_id = person_id_for_key(target.subject_key)
        if person_id is None:
            return None
        history = person_history(person_id)
        if history is None:
            return None
        return score_history(
            model,
            history,
            current_best_score=max((float(h["score"]) for h in hits), default=0.0),
            current_lost_stolen=any(h.get("kind") == "lost_stolen_documents" for h in hits),
        )
    except Exception:  # a risk failure must never stop the screening itself
        log.exception("risk scoring failed", extra={"subject_type": target.subject_type})
        return None


def _risk_key(risk: RiskResult) -> str:
    payload = json.dumps({"v": risk.version, "f": risk.features}, sort_keys=True)
    return hashlib.sha256(f"risk:{payload}".encode()).hexdigest()


def open_risk_item(target: Target, risk: RiskResult) -> bool:
    """A review item for a high score without a watchlist hit. Not again
    while one is open for the person, nor for the same model and the same
    feature values a human has already decided on."""
    key = _risk_key(risk)
    existing = ReviewItem.objects.filter(
        subject_key=target.subject_key, source=ReviewItem.Source.RISK_MODEL
    )
    if existing.filter(status__in=[ReviewItem.Status.OPEN, ReviewItem.Status.ESCALATED]).exists():
        return False
    if existing.filter(hits_key=key).exists():
        return False
    try:
        with transaction.atomic():
            item = ReviewItem.objects.create(
                source=ReviewItem.Source.RISK_MODEL,
                subject_type=target.subject_type,
                subject_id=target.subject_id,
                subject_key=target.subject_key,
                subject_fingerprint=target.fingerprint,
                office=target.office,
                hits=[],
                hits_key=key,
                top_score=0.0,
                **risk_fields(risk),
            )
            audit_record(
                actor=None,
                action=Action.REVIEW_OPENED,
                target=item,
                data={
                    "source": ReviewItem.Source.RISK_MODEL,
                    "subject_type": target.subject_type,
                    "subject": str(target.subject_id),
                    "office": target.office.code,
                    "risk_score": risk.score,
                    "risk_model_version": risk.version,
                    "reasons": [r[0] for r in risk.reasons if r[1] > 0][:3],
                },
            )
    except IntegrityError:  # the same job ran twice at once
        return False
    return True


def record(target: Target, risk: RiskResult | None) -> None:
    """Keep (or refresh) the one record of this screened subject."""
    try:
        item = (
            ReviewItem.objects.filter(
                subject_type=target.subject_type,
                subject_id=target.subject_id,
                subject_key=target.subject_key,
            )
            .order_by("-created_at", "-id")
            .first()
        )
        defaults: dict[str, Any] = {
            "office": target.office,
            "nationality": target.nationality,
            "sex": target.sex,
            "screened_at": timezone.now(),
            "risk_score": risk.score if risk else None,
            "risk_model_version": risk.version if risk else "",
        }
        if item is not None:
            defaults["review_item"] = item
        ScreeningRecord.objects.update_or_create(
            subject_type=target.subject_type,
            subject_id=target.subject_id,
            subject_key=target.subject_key,
            defaults=defaults,
        )
    except Exception:  # the report's bookkeeping never stops a screening
        log.exception("screening record failed", extra={"subject_type": target.subject_type})
