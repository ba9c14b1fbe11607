"""The status stepper on the applicant's page and on public tracking (issue 14)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from simi.applications.models import Application, Status
from simi.core import trackingcodes

pytestmark = pytest.mark.django_db


def _steps(html: str) -> list[tuple[str, str]]:
    """(state, label) of each step the page shows, in order."""
    found = re.findall(
        r'<li class="step step-(\w+)"[^>]*>\s*<span class="step-label">([^<]+)</span>', html
    )
    return [(state, label.strip()) for state, label in found]


def test_the_applicant_sees_where_a_submitted_application_stands(submitted, client_for):
    # given an application just submitted
    client = client_for(submitted.applicant)
    client.cookies["django_language"] = "en"
    # when its owner opens it
    html = client.get(f"/permohonan/{submitted.public_id}/").content.decode()
    # then the stepper shows it submitted, being checked, and what follows
    assert _steps(html) == [
        ("done", "Submitted"),
        ("current", "Documents checked"),
        ("todo", "Interview and biometrics"),
        ("todo", "Payment"),
        ("todo", "Decision"),
        ("todo", "Ready to collect"),
    ]
    assert 'aria-current="step"' in html


def test_tracking_shows_the_same_steps_in_indonesian(submitted, client):
    # given an application waiting for its fee
    Application.objects.filter(pk=submitted.pk).update(status=Status.AWAITING_PAYMENT)
    code = trackingcodes.display(submitted.tracking_code)
    # when anyone tracks it on the Indonesian page
    html = client.get("/permohonan/lacak/", {"code": code}).content.decode()
    # then the steps before payment are done and payment is the current one
    states = [state for state, _label in _steps(html)]
    assert states == ["done", "done", "done", "current", "todo", "todo"]
    assert ("current", "Pembayaran") in _steps(html)


def test_a_refusal_ends_the_steps_at_the_decision(submitted, supervisor, client_for):
    # given a refused application
    Application.objects.filter(pk=submitted.pk).update(
        status=Status.REJECTED,
        reject_reason="not_eligible",
        decided_by=supervisor,
        decided_at=timezone.now(),
    )
    client = client_for(submitted.applicant)
    client.cookies["django_language"] = "en"
    # when its owner opens it
    steps = _steps(client.get(f"/permohonan/{submitted.public_id}/").content.decode())
    # then the decision step says refused and nothing follows it
    assert steps[-1] == ("refused", "Decision")
    assert ("todo", "Ready to collect") not in steps


def test_a_draft_shows_no_steps(draft, client_for):
    html = client_for(draft.applicant).get(f"/permohonan/{draft.public_id}/").content.decode()
    assert _steps(html) == []
