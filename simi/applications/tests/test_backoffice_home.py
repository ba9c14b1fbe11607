"""The back-office home page shows real figures (issue 14: it said
"applications will appear here" while the queue was full)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from simi.accounts.roles import Role
from simi.accounts.tests.factories import UserFactory
from simi.applications.models import Application

pytestmark = pytest.mark.django_db


def _figures(html: str) -> dict[str, str]:
    pairs = re.findall(r"<dt>([^<]+)</dt><dd><a href=\"[^\"]+\">(\d+)</a></dd>", html)
    return dict(pairs)


def test_it_shows_the_queue_in_figures_with_links(client_for, officer, submitted):
    # given one registered application at Liwa, already past its service-standard date
    Application.objects.filter(pk=submitted.pk).update(
        sla_due_date=timezone.localdate() - timedelta(days=2)
    )
    client = client_for(officer)
    client.cookies["django_language"] = "en"
    # when Liwa's officer opens the back office
    html = client.get("/kantor/").content.decode()
    # then the work queue card counts it, with a link to the filtered queue
    assert "will appear here" not in html
    figures = _figures(html)
    assert figures["Open in my offices"] == "1"
    assert figures["Past their service-standard date"] == "1"
    assert f'href="{reverse("applications_office:queue")}?sla=breached"' in html


def test_it_shows_no_work_queue_to_a_role_without_applications(client_for, kotabumi, submitted):
    auditor = UserFactory(email="audit@example.test", role=Role.AUDITOR, office=None)
    client = client_for(auditor)
    client.cookies["django_language"] = "en"
    html = client.get("/kantor/").content.decode()
    assert "Open in my offices" not in html
    assert client.get("/kantor/").status_code == 200


def test_queue_rows_show_initials_submission_date_and_age_and_codes_that_never_wrap(
    client_for, officer, submitted
):
    # given an application submitted three days ago by someone whose name is known
    submitted.person.full_name = "Siti Rahmawati Putri"
    submitted.person.save()
    Application.objects.filter(pk=submitted.pk).update(
        submitted_at=timezone.now() - timedelta(days=3)
    )
    client = client_for(officer)
    client.cookies["django_language"] = "en"
    # when the officer opens the queue
    html = client.get(reverse("applications_office:queue")).content.decode()
    # then the row names the applicant by initials only, with the date and the age
    assert "S. R. P." in html
    assert "Rahmawati" not in html
    assert "3 days ago" in html
    # and the tracking code sits in a cell that does not wrap
    assert re.search(
        r'<td class="nowrap"><a href="[^"]+">' + re.escape(submitted.tracking_code_display), html
    )
