"""Background jobs for accounts: e-mails are sent by the worker, not the request."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from simi.accounts.models import User


def _absolute(path: str) -> str:
    return f"{settings.SIMI_PUBLIC_BASE_URL.rstrip('/')}{path}"


@task()
def send_verification_email(user_id: int) -> str:
    """Send the link that verifies an applicant's e-mail (safe to repeat)."""
    from simi.accounts.services import email_verification_token

    user = User.objects.filter(pk=user_id).first()
    if user is None or user.email_verified_at is not None:
        return "skipped"
    with translation.override(user.preferred_language):
        link = _absolute(reverse("accounts:verify_email", args=[email_verification_token(user)]))
        context = {"user": user, "link": link, "hours": settings.SIMI_EMAIL_VERIFICATION_HOURS}
        subject = render_to_string("accounts/email/verify_subject.txt", context).strip()
        body = render_to_string("accounts/email/verify_body.txt", context)
    send_mail(subject, body, None, [user.email])
    return "sent"


@task()
def send_account_exists_notice(user_id: int) -> str:
    """Tell the owner that someone tried to register with their address."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return "skipped"
    with translation.override(user.preferred_language):
        context = {"user": user, "login": _absolute(reverse("accounts:login"))}
        subject = render_to_string("accounts/email/exists_subject.txt", context).strip()
        body = render_to_string("accounts/email/exists_body.txt", context)
    send_mail(subject, body, None, [user.email])
    return "sent"
