"""What the applicant is told about their application, and where the link
in the message leads."""

from __future__ import annotations

from django.urls import reverse

from simi.applications.models import Application
from simi.notifications.services import notify


def notify_applicant(app: Application, event: str, key: str, **params: str | int) -> None:
    """Tell the applicant (after commit, once per ``key``); params are codes only."""
    notify(
        event=event,
        recipient=app.applicant,
        key=key,
        params={"tracking_code": app.tracking_code_display, **params},
        link=reverse("applications:detail", args=[app.public_id]),
    )
