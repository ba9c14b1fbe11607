"""A hit never blocks, cancels, delays or decides anything (issue 6, EU AI
Act human oversight): an application on the list moves through the workflow
exactly like one that is not, and no workflow code reads screening's results."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from simi.applications import workflow
from simi.applications.models import Application, ApplicationEvent
from simi.applications.services import application_create
from simi.applications.tests.complete import submit_complete
from simi.applications.tests.conftest import ani, budi  # noqa: F401 (fixtures)
from simi.applications.tests.test_workflow import upload_all
from simi.payments.models import Bill
from simi.screening.models import ReviewItem

from .conftest import BANNED, make_live

ROOT = Path(__file__).resolve().parents[2]


def _through_the_workflow(app: Application, officer, supervisor) -> list[tuple[str, str]]:
    upload_all(app.applicant, app)
    workflow.start_verification(actor=officer, application=app)
    workflow.complete_verification(actor=officer, application=app)
    workflow.record_interview(actor=officer, application=app, biometrics_reference="BIO-1")
    bill = Bill.objects.get(reference=str(app.public_id), status="unpaid")
    call_command("simulate_payment", bill.billing_code)
    workflow.approve(actor=supervisor, application=Application.objects.get(pk=app.pk))
    return list(
        ApplicationEvent.objects.filter(application=app)
        .order_by("id")
        .values_list("status_to", "note")
    )


@pytest.mark.django_db(transaction=True)
def test_an_application_with_a_strong_hit_moves_exactly_like_one_without(
    ani,  # noqa: F811
    budi,  # noqa: F811
    admin_user,
    entry_ban,
    officer,
    supervisor,
    run_jobs,
):
    # given Ani's name is on a live entry-ban list, Budi's is not
    make_live(admin_user, entry_ban, BANNED)
    listed = submit_complete(
        actor=ani,
        application=application_create(
            actor=ani, service_code="passport-ordinary-5y", office_code="ulp-liwa"
        ),
    )
    clean = submit_complete(
        actor=budi,
        application=application_create(
            actor=budi, service_code="passport-ordinary-5y", office_code="ulp-liwa"
        ),
    )
    # when the worker screens both submissions
    run_jobs()
    # then only Ani's opens a review item, with a strong score
    item = ReviewItem.objects.get()
    assert item.subject_id == listed.public_id
    assert item.top_score >= 0.85
    assert item.status == ReviewItem.Status.OPEN
    # and both go through every step the same way, with the item still open
    assert listed.status == clean.status == "registered"
    assert listed.sla_due_date == clean.sla_due_date
    steps_listed = _through_the_workflow(listed, officer, supervisor)
    steps_clean = _through_the_workflow(clean, officer, supervisor)
    assert steps_listed == steps_clean
    assert Application.objects.get(pk=listed.pk).status == "approved"
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN


_ALLOWED = re.compile(r"from simi\.screening\.flows import request_screening\b")
# The modules a domain registers as a screening source may also use the
# interface screening gives its sources (what to screen, which facts).
_SOURCE_INTERFACE = re.compile(r"from simi\.screening\.(subjects|risk\.facts) import\b")
_SOURCES = {
    path.rsplit(".", 1)[0]
    for path in [*settings.SIMI_SCREENING_SUBJECTS.values(), settings.SIMI_RISK_HISTORY]
}


def test_no_workflow_code_reads_screening_results():
    """Applications and oversight may only *ask* for a screening, and answer
    what screening asks of the sources they register."""
    offenders = []
    for app in ("applications", "oversight", "appointments", "payments", "issuance"):
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
            allowed = [_ALLOWED, _SOURCE_INTERFACE] if module in _SOURCES else [_ALLOWED]
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if (
                    "ReviewItem" in line
                    or "DismissedPair" in line
                    or (
                        "simi.screening" in line
                        and not any(pattern.search(line) for pattern in allowed)
                    )
                ):
                    offenders.append(f"{path}:{number}")
    assert offenders == []
