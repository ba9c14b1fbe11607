"""Demo data of screening: an active risk model, so the review pages show scores."""

from __future__ import annotations

import io

from django.core.management import call_command

from simi.core.demo import DemoOptions
from simi.screening.models import RiskModel


def seed_demo(options: DemoOptions) -> str:
    """``seed_demo`` step: train and activate a risk model once (on a synthetic,
    labelled history: the demo register is too young to learn from)."""
    if RiskModel.objects.filter(status=RiskModel.Status.ACTIVE).exists():
        return "risk model: already active"
    call_command("train_risk_model", "--activate", stdout=io.StringIO())
    return "risk model: trained and activated"
