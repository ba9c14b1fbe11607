"""Turn a notification's event and params into words, in the recipient's language.

Templates per event: ``notifications/<event>/subject.txt`` (also the title in
the applicant's list), ``body.txt`` (e-mail, extends ``notifications/email_body.txt``)
and ``short.txt`` (SMS/WhatsApp: one line; the link is appended when the
whole text still fits in one 160-character SMS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from simi.core.crypto import decrypt
from simi.core.models import Office
from simi.core.money import format_rupiah
from simi.notifications.events import CODE_CONTEXT
from simi.notifications.models import Notification

SMS_LIMIT = 160
SMS_PREFIX = "SIMI: "


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str
    short: str


def absolute_url(path: str) -> str:
    if not path:
        return ""
    return f"{settings.SIMI_PUBLIC_BASE_URL.rstrip('/')}{path}"


def _display(name: str, value: str | int) -> Any:
    """Params as the reader should see them (rupiah, local dates and times)."""
    if name == "amount" and isinstance(value, int):
        return format_rupiah(value)
    if isinstance(value, str) and name.endswith("_at"):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        local = timezone.localtime(moment)
        return f"{date_format(local, 'j M Y, H:i')} {local.tzname()}"
    if isinstance(value, str) and name in {"due_date", "collect_by", "valid_until"}:
        try:
            return date_format(date.fromisoformat(value), "j M Y")
        except ValueError:
            return value
    return value


def _context(notification: Notification) -> dict[str, Any]:
    params: dict[str, str | int] = notification.params or {}
    context: dict[str, Any] = {
        name: _display(name, value) for name, value in params.items() if name != "code_sealed"
    }
    sealed = params.get("code_sealed")
    if isinstance(sealed, str):
        context["code"] = decrypt(sealed, context=CODE_CONTEXT)
    office_code = params.get("office_code")
    if office_code:
        office = Office.objects.filter(code=office_code).values_list("name", flat=True).first()
        context["office"] = office or office_code
    context["link"] = absolute_url(notification.link)
    context["user"] = notification.recipient
    return context


def _template(event: str, part: str) -> str:
    return f"notifications/{event}/{part}.txt"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_title(notification: Notification, *, language: str | None = None) -> str:
    """The subject line alone (the applicant's list of notifications)."""
    lang = language or notification.recipient.preferred_language
    with translation.override(lang), timezone.override(settings.TIME_ZONE):
        return _one_line(
            render_to_string(_template(notification.event, "subject"), _context(notification))
        )


def render_message(notification: Notification) -> RenderedMessage:
    """Subject, e-mail body and short text in the recipient's preferred language."""
    with (
        translation.override(notification.recipient.preferred_language),
        timezone.override(settings.TIME_ZONE),
    ):
        context = _context(notification)
        subject = _one_line(render_to_string(_template(notification.event, "subject"), context))
        body = render_to_string(_template(notification.event, "body"), context)
        short = SMS_PREFIX + _one_line(
            render_to_string(_template(notification.event, "short"), context)
        )
    if context["link"] and len(short) + 1 + len(context["link"]) <= SMS_LIMIT:
        short = f"{short} {context['link']}"
    return RenderedMessage(subject=subject, body=body.strip() + "\n", short=short)
