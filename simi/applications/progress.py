"""Where an application stands, as the steps an applicant recognises.

The status stepper on the applicant's page and on public tracking shows
these steps (GOV.UK's "step by step" idea, M-Paspor's progress bar): each is
done, current or still to come; a refusal or a cancellation ends the walk
at the step where it happened.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.applications.models import Status

STEPS: tuple[tuple[str, Promise], ...] = (
    ("submitted", _("Submitted")),
    ("checked", _("Documents checked")),
    ("interview", _("Interview and biometrics")),
    ("payment", _("Payment")),
    ("decision", _("Decision")),
    ("ready", _("Ready to collect")),
)

# The step each status is at, and whether that step is finished.
_AT: dict[str, tuple[str, bool]] = {
    Status.REGISTERED: ("checked", False),
    Status.VERIFYING: ("checked", False),
    Status.MORE_DOCUMENTS_REQUESTED: ("checked", False),
    Status.INTERVIEW: ("interview", False),
    Status.AWAITING_PAYMENT: ("payment", False),
    Status.PAID: ("decision", False),
    Status.APPROVED: ("ready", False),
    Status.REJECTED: ("decision", True),
    Status.ISSUED: ("ready", False),
    Status.COLLECTED: ("ready", True),
}


@dataclass(frozen=True)
class Step:
    code: str
    label: Promise
    state: str  # "done", "current", "todo", "refused"


def journey(status: str) -> list[Step]:
    """The steps of an application in ``status``; empty for a draft or a
    cancelled application (the page says so in words)."""
    if status not in _AT:
        return []
    at, finished = _AT[status]
    position = [code for code, _label in STEPS].index(at)
    steps = []
    for index, (code, label) in enumerate(STEPS):
        if index < position or (index == position and finished):
            state = "done"
        elif index == position:
            state = "current"
        else:
            state = "todo"
        if status == Status.REJECTED and code == "decision":
            state = "refused"
        if status == Status.REJECTED and index > position:
            continue  # nothing follows a refusal
        steps.append(Step(code=code, label=label, state=state))
    return steps
