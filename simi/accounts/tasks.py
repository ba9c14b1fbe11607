"""Background jobs for accounts: e-mails are sent by the worker, not the request.

Every mail carries a Message-ID made from its job's id (simi.core.mail), so a
job sent again after a lost worker is the same message."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import TaskContext, task

from simi.accounts import links
from simi.accounts.models import IdentityClaim, User
from simi.core.mail import send_job_mail as _mail


def _absolute(path: str) -> str:
    return f"{settings.SIMI_PUBLIC_BASE_URL.rstrip('/')}{path}"


def _send_verification(job: TaskContext, user: User) -> str:
    with translation.override(user.preferred_language):
        link = _absolute(
            reverse("accounts:verify_email", args=[links.email_verification_token(user)])
        )
        values = {"user": user, "link": link, "hours": settings.SIMI_EMAIL_VERIFICATION_HOURS}
        subject = render_to_string("accounts/email/verify_subject.txt", values).strip()
        body = render_to_string("accounts/email/verify_body.txt", values)
    _mail(job, subject, body, user.email)
    return "sent"


def _send_exists_notice(job: TaskContext, user: User) -> str:
    with translation.override(user.preferred_language):
        values = {"user": user, "login": _absolute(reverse("accounts:login"))}
        subject = render_to_string("accounts/email/exists_subject.txt", values).strip()
        body = render_to_string("accounts/email/exists_body.txt", values)
    _mail(job, subject, body, user.email)
    return "exists"


@task(takes_context=True)
def send_registration_email(context: TaskContext, user_id: int) -> str:
    """The one mail of a registration, for a new and a known address alike.

    The request queues this job whatever the address (so that both take the
    same time); the job decides: an address not yet verified gets a (new)
    verification link, a verified one the notice that it already has an
    account. Repeating it sends the same mail again, never a wrong one.
    """
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.is_active:
        return "skipped"
    if user.email_verified_at is None:
        return _send_verification(context, user)
    return _send_exists_notice(context, user)


@task(takes_context=True)
def send_verification_email(context: TaskContext, user_id: int | None) -> str:
    """Send a new link that verifies an applicant's e-mail (safe to repeat).

    Queued by a request for a new link whatever the address, with the
    account's id or none: nothing is sent for none, for a verified or for an
    inactive account."""
    if user_id is None:
        return "skipped"
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email_verified_at is not None:
        return "skipped"
    return _send_verification(context, user)


@task(takes_context=True)
def send_password_reset_email(context: TaskContext, user_id: int | None) -> str:
    """Send the link that sets a new password (a new link on every run).

    Queued by a reset request whatever the address, with the active
    account's id or none; nothing is sent for none."""
    if user_id is None:
        return "skipped"
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return "skipped"
    with translation.override(user.preferred_language):
        link = _absolute(
            reverse(
                "accounts:password_reset_confirm",
                args=[user.public_id, links.password_reset_token(user)],
            )
        )
        values = {
            "user": user,
            "link": link,
            "again": _absolute(reverse("accounts:password_reset")),
            "minutes": max(1, settings.PASSWORD_RESET_TIMEOUT // 60),
        }
        subject = render_to_string("accounts/email/password_reset_subject.txt", values).strip()
        body = render_to_string("accounts/email/password_reset_body.txt", values)
    _mail(context, subject, body, user.email)
    return "sent"


@task(takes_context=True)
def send_account_exists_notice(context: TaskContext, user_id: int) -> str:
    """Tell the owner that someone tried to register with their address.

    Kept for jobs queued before ``send_registration_email``."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return "skipped"
    return _send_exists_notice(context, user)


def _send(job: TaskContext, user: User, template: str, extra: dict[str, object]) -> None:
    with translation.override(user.preferred_language):
        values = {"user": user, "link": _absolute(reverse("accounts:identity")), **extra}
        number = values.get("number")
        if isinstance(number, str):
            values["number"] = IdentityClaim.Number(number).label
        subject = render_to_string(f"accounts/email/{template}_subject.txt", values).strip()
        body = render_to_string(f"accounts/email/{template}_body.txt", values)
    _mail(job, subject, body, user.email)


@task(takes_context=True)
def send_identity_claim_notice(context: TaskContext, claim_id: int, outcome: str) -> str:
    """Tell an applicant how the check of their identity number ended
    ("confirmed" or "rejected"); the mail names the number by its last four
    characters only. Repeating it sends the same mail again."""
    claim = IdentityClaim.objects.select_related("account").filter(pk=claim_id).first()
    if claim is None or not claim.account.is_active or outcome not in {"confirmed", "rejected"}:
        return "skipped"
    _send(
        context,
        claim.account,
        f"claim_{outcome}",
        {"number": claim.number_kind, "last4": claim.number_last4},
    )
    return outcome


@task(takes_context=True)
def send_identity_lost_notice(
    context: TaskContext, user_id: int, number_kind: str, last4: str
) -> str:
    """Tell an account that a number it held was confirmed as someone else's."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return "skipped"
    _send(context, user, "identity_lost", {"number": number_kind, "last4": last4})
    return "sent"


@task(takes_context=True)
def send_identity_kept_notice(context: TaskContext, user_id: int, claim_id: int) -> str:
    """Tell an account that someone claimed a number it holds, and that an
    officer checked the claimant's documents and left the number with it."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    claim = IdentityClaim.objects.filter(pk=claim_id).first()
    if user is None or claim is None:
        return "skipped"
    _send(
        context, user, "identity_kept", {"number": claim.number_kind, "last4": claim.number_last4}
    )
    return "sent"
