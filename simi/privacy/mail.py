"""Mail of the privacy domain: the alert to handlers about overdue requests.

A job that a service queues lives here, with the work it does, below the
services: ``services -> mail`` and ``tasks -> services`` leave no cycle.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import TaskContext, task

from simi.accounts.models import User
from simi.accounts.selectors import users_with_capability
from simi.core.mail import send_job_mail
from simi.privacy.models import DataSubjectRequest


def _handlers() -> list[User]:
    """Active accounts whose role may handle requests (today: administrators)."""
    return list(users_with_capability("privacy:handle"))


@task(takes_context=True)
def notify_overdue_requests(context: TaskContext, request_ids: list[str]) -> str:
    """E-mail every handler the list of requests that passed their 3x24 hours
    (a repeat of the job repeats each handler's message with its Message-ID)."""
    requests = list(
        DataSubjectRequest.objects.filter(public_id__in=request_ids).order_by("due_at", "id")
    )
    if not requests:
        return "skipped"
    base = settings.SIMI_PUBLIC_BASE_URL.rstrip("/")
    sent = 0
    for handler in _handlers():
        with translation.override(handler.preferred_language):
            items = [
                {
                    "dsr": dsr,
                    "link": base + reverse("privacy_backoffice:request", args=[dsr.public_id]),
                }
                for dsr in requests
            ]
            values = {"user": handler, "items": items, "count": len(items)}
            subject = render_to_string("privacy/email/overdue_subject.txt", values).strip()
            body = render_to_string("privacy/email/overdue_body.txt", values)
        send_job_mail(context, subject, body, handler.email, part=str(handler.public_id))
        sent += 1
    return f"sent {sent}"
