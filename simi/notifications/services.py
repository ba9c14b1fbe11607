"""Every write on notifications: raise one (``notify``), deliver it, retry failures.

``notify`` is what other domains call, inside their own service transaction::

    from simi.notifications.services import notify

    notify(
        event="bill_issued",
        recipient=bill.payer,
        key=f"bill_issued:{bill.public_id}",
        params={"billing_code": bill.billing_code, "amount": bill.amount,
                "expires_at": bill.expires_at.isoformat()},
        link=reverse("payments:bill", args=[bill.public_id]),
    )

Rows are written in the caller's transaction and the delivery job is queued
only after it commits: a rolled-back transaction leaves no row and sends
nothing. Delivery claims its row with a conditional update, so a job that runs
twice (or two workers) send a message once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from simi.accounts.models import User
from simi.notifications.events import EVENT_SPECS
from simi.notifications.models import Channel, DeliveryStatus, Notification
from simi.notifications.rendering import render_message
from simi.notifications.sms import GatewayError, backend_for, to_e164

logger = logging.getLogger("simi.notifications")

# Seconds to wait before attempt 2, 3, ...; the last value repeats.
RETRY_BACKOFF_SECONDS = (60, 300, 1800, 7200)
# A claim older than this belongs to a worker that died while sending.
CLAIM_LEASE = timedelta(minutes=10)
# A pending row this old lost its job (crash between commit and enqueue).
PENDING_GRACE = timedelta(minutes=5)
RETRY_BATCH = 500
PHONE_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP})


def max_attempts() -> int:
    return int(getattr(settings, "SIMI_NOTIFICATION_MAX_ATTEMPTS", 5))


def phone_channels() -> list[str]:
    """Which phone channels a recipient with a phone gets (setting; default SMS)."""
    configured = getattr(settings, "SIMI_NOTIFICATION_PHONE_CHANNELS", [Channel.SMS])
    return [Channel(name).value for name in configured]


def _clean_params(event: str, params: dict[str, str | int] | None) -> dict[str, str | int]:
    spec = EVENT_SPECS.get(event)
    if spec is None:
        raise ValueError(f"unknown notification event {event!r}")
    clean = dict(params or {})
    missing = [name for name in spec.required if name not in clean]
    unknown = sorted(set(clean) - spec.allowed)
    if missing or unknown:
        raise ValueError(f"{event}: missing params {missing}, unknown params {unknown}")
    for name, value in clean.items():
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueError(f"{event}: param {name!r} must be str or int")
    return clean


def _check_link(link: str) -> None:
    if link and (not link.startswith("/") or link.startswith("//") or len(link) > 300):
        raise ValueError("link must be a site-relative path such as /permohonan/...")


def _phone(user: User) -> str:
    person = user.person
    return (person.phone or "").strip() if person is not None else ""


def _channels_for(recipient: User) -> list[str]:
    if not recipient.is_active:
        return []
    channels = [Channel.EMAIL.value] if recipient.email else []
    if _phone(recipient):
        channels += phone_channels()
    return channels


def _enqueue(ids: Sequence[int]) -> None:
    from simi.notifications.tasks import deliver_notification

    for notification_id in ids:
        deliver_notification.enqueue(notification_id)


@transaction.atomic
def notify(
    *,
    event: str,
    recipient: User,
    key: str,
    params: dict[str, str | int] | None = None,
    link: str = "",
) -> None:
    """Tell ``recipient`` about ``event``, once per ``key``, on every channel they have.

    - ``event``: a code of ``simi.notifications.events.Event``; ``params`` must
      hold that event's required params (``EVENT_SPECS``): ids, codes, tracking
      codes, integer rupiah, ISO dates -- never names, NIK, passport numbers,
      phones or addresses.
    - ``key``: your idempotency key for this event, e.g.
      ``f"bill_issued:{bill.public_id}"``. A second call with the same key (same
      recipient) is a no-op, even from a retried job.
    - ``link``: optional site-relative path (``reverse(...)``) of the page the
      message points to; it becomes an absolute URL with SIMI_PUBLIC_BASE_URL.

    Channels: e-mail when the account has an address; SMS (and/or WhatsApp,
    setting ``SIMI_NOTIFICATION_PHONE_CHANNELS``) when the account's identity
    record has a phone. Inactive accounts get nothing. Call it inside your
    service's transaction: rows join it, and delivery is queued only after it
    commits, so a rollback sends nothing. Bad ``event``/``params``/``link`` raise
    ``ValueError`` (a programming error, caught by your tests).
    """
    clean = _clean_params(event, params)
    _check_link(link)
    if not key or len(key) > 200:
        raise ValueError("key must be 1 to 200 characters")
    created_ids = []
    for channel in _channels_for(recipient):
        notification, created = Notification.objects.get_or_create(
            recipient=recipient,
            key=key,
            channel=channel,
            defaults={"event": event, "params": clean, "link": link},
        )
        if created:
            created_ids.append(notification.pk)
    if created_ids:
        # robust: the caller's change is committed already; a queue hiccup must
        # not turn it into an error. retry_failed_notifications picks it up.
        transaction.on_commit(lambda: _enqueue(created_ids), robust=True)


def _destination(notification: Notification) -> str:
    recipient = notification.recipient
    if not recipient.is_active:
        raise GatewayError("recipient_inactive", permanent=True)
    if notification.channel == Channel.EMAIL:
        if not recipient.email:
            raise GatewayError("no_destination", permanent=True)
        return recipient.email
    phone = _phone(recipient)
    if not phone:
        raise GatewayError("no_destination", permanent=True)
    return to_e164(phone)


def _send(notification: Notification) -> str:
    """Send one message now; return the provider's message id."""
    to = _destination(notification)
    message = render_message(notification)
    if notification.channel == Channel.EMAIL:
        message_id = make_msgid(domain="simi.invalid")
        EmailMessage(
            message.subject, message.body, None, [to], headers={"Message-ID": message_id}
        ).send()
        return message_id
    return backend_for(notification.channel).send(to, message.short)


def _claim(notification_id: int, now: datetime) -> bool:
    due = Q(status=DeliveryStatus.PENDING) | Q(
        status=DeliveryStatus.FAILED, next_attempt_at__lte=now
    )
    claimed = (
        Notification.objects.filter(due, pk=notification_id)
        .filter(attempts__lt=max_attempts())
        .update(
            status=DeliveryStatus.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    return claimed == 1


def _next_attempt(attempts: int, now: datetime) -> datetime | None:
    if attempts >= max_attempts():
        return None
    delay = RETRY_BACKOFF_SECONDS[min(attempts, len(RETRY_BACKOFF_SECONDS)) - 1]
    return now + timedelta(seconds=delay)


def notification_deliver(*, notification_id: int) -> str:
    """Send one notification unless it is sent, being sent, or not due yet.

    Returns "sent", "failed" or "skipped". Safe to run any number of times:
    only the run that claims the row (a conditional update) sends.
    """
    if not _claim(notification_id, timezone.now()):
        return "skipped"
    notification = Notification.objects.select_related("recipient__person").get(pk=notification_id)
    try:
        provider_id = _send(notification)
    except Exception as exc:  # any failure is recorded (and retried), never raised
        return _record_failure(notification, exc)
    now = timezone.now()
    Notification.objects.filter(pk=notification_id, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT,
        sent_at=now,
        provider_message_id=provider_id[:200],
        last_error="",
        claimed_at=None,
        next_attempt_at=None,
        updated_at=now,
    )
    logger.info(
        "notification_sent",
        extra={"notification": str(notification.public_id), "channel": notification.channel},
    )
    return "sent"


def _record_failure(notification: Notification, exc: Exception) -> str:
    # The code only: an exception text may quote the address or the number.
    code = getattr(exc, "code", "") if isinstance(exc, GatewayError) else ""
    code = (code or type(exc).__name__)[:64]
    now = timezone.now()
    permanent = isinstance(exc, GatewayError) and exc.permanent
    # notification.attempts already counts this attempt (the claim added it)
    next_at = None if permanent else _next_attempt(notification.attempts, now)
    Notification.objects.filter(pk=notification.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED,
        last_error=code,
        claimed_at=None,
        next_attempt_at=next_at,
        updated_at=now,
    )
    logger.warning(
        "notification_failed",
        extra={
            "notification": str(notification.public_id),
            "channel": notification.channel,
            "error": code,
            "will_retry": next_at is not None,
        },
    )
    return "failed"


def notifications_retry(*, now: datetime | None = None) -> list[int]:
    """Queue delivery of every notification that is due again; returns their ids.

    Due: failed with its back-off elapsed; pending for a while (its job was
    lost); "sending" past the lease (the worker died mid-send: retried, so a
    crash may repeat a message rather than lose it). Safe to repeat.
    """
    now = now or timezone.now()
    Notification.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE
    ).update(
        status=DeliveryStatus.FAILED,
        last_error="interrupted",
        claimed_at=None,
        next_attempt_at=now,
        updated_at=now,
    )
    due = (
        Q(status=DeliveryStatus.FAILED, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.PENDING, created_at__lt=now - PENDING_GRACE)
    ) & Q(attempts__lt=max_attempts())
    ids = list(
        Notification.objects.filter(due).order_by("id").values_list("id", flat=True)[:RETRY_BATCH]
    )
    _enqueue(ids)
    return ids
