"""Sending notifications: one attempt per claimed row, failures recorded for a
retry with back-off. The jobs in ``tasks`` call this; nothing here queues a job.

Delivery claims its row with a conditional update, so a job that runs twice
(or two workers) sends a message once: a job that runs again finds the row
``sending`` or ``sent`` and skips it, whatever stopped the first run.

At least once, not exactly once: a message handed to the gateway is marked
``sent`` right after. If the database is down at that moment, the run waits
for it (up to ``MARK_SENT_PATIENCE``) and marks the row then, so an outage
repeats nothing. Only a worker killed in the instant between the hand-over
and that write leaves the row ``sending``; ``due_for_retry`` takes it back
after ``CLAIM_LEASE`` and the message goes out again. An e-mail keeps its
``Message-ID`` across attempts (``<notification.<public id>@simi.invalid>``),
so that mail systems that drop a repeated Message-ID (most do) show it once.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.mail import EmailMessage
from django.db import DatabaseError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from simi.accounts.contact import CODE_MINUTES
from simi.core.outage import is_database_outage, outage_kind
from simi.notifications.events import Event
from simi.notifications.models import Channel, DeliveryStatus, Notification
from simi.notifications.recipients import code_destination, max_attempts, phone_of
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
# How long a run that sent a message waits for a database that is down to
# mark it sent (shorter than CLAIM_LEASE: the sweep must not meet it).
MARK_SENT_PATIENCE = timedelta(minutes=5)


def _destination(notification: Notification) -> str:
    recipient = notification.recipient
    if not recipient.is_active:
        raise GatewayError("recipient_inactive", permanent=True)
    if notification.channel == Channel.EMAIL:
        if not recipient.email:
            raise GatewayError("no_destination", permanent=True)
        return recipient.email
    if notification.event == Event.PHONE_CODE:
        if timezone.now() - notification.created_at > timedelta(minutes=CODE_MINUTES):
            raise GatewayError("code_expired", permanent=True)  # no use any more
        phone = code_destination(recipient)
    else:
        phone = phone_of(recipient)
    if not phone:
        raise GatewayError("no_destination", permanent=True)
    return to_e164(phone)


def _send(notification: Notification) -> str:
    """Send one message now; return the provider's message id."""
    to = _destination(notification)
    message = render_message(notification)
    if notification.channel == Channel.EMAIL:
        message_id = f"<notification.{notification.public_id}@simi.invalid>"
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
    notification = Notification.objects.select_related("recipient__person", "recipient__phone").get(
        pk=notification_id
    )
    try:
        provider_id = _send(notification)
    except Exception as exc:  # any failure is recorded (and retried), never raised
        return _record_failure(notification, exc)
    wipe = notification.event == Event.PHONE_CODE  # the code's work is done
    _when_database_answers(lambda: _mark_sent(notification_id, provider_id, wipe=wipe))
    logger.info(
        "notification_sent",
        extra={"notification": str(notification.public_id), "channel": notification.channel},
    )
    return "sent"


def _mark_sent(notification_id: int, provider_id: str, *, wipe: bool = False) -> None:
    now = timezone.now()
    extra: dict[str, object] = {"params": {}} if wipe else {}
    Notification.objects.filter(pk=notification_id, status=DeliveryStatus.SENDING).update(
        **extra,
        status=DeliveryStatus.SENT,
        sent_at=now,
        provider_message_id=provider_id[:200],
        last_error="",
        claimed_at=None,
        next_attempt_at=None,
        updated_at=now,
    )


def _when_database_answers(write: Callable[[], object]) -> None:
    """Run ``write`` now, or, while the database is down, again and again
    until it answers (``MARK_SENT_PATIENCE`` at most): what was sent is then
    recorded instead of sent twice."""
    give_up = time.monotonic() + MARK_SENT_PATIENCE.total_seconds()
    pause = 0.5
    while True:
        try:
            write()
            return
        except DatabaseError as error:
            if (
                not is_database_outage(error)
                or transaction.get_connection().in_atomic_block  # the caller's to retry
                or time.monotonic() + pause > give_up
            ):
                raise
            logger.warning("notification_mark_waiting", extra={"kind": outage_kind(error)})
        for connection in connections.all(initialized_only=True):
            with contextlib.suppress(DatabaseError):
                connection.close()
        time.sleep(pause)
        pause = min(pause * 2, 10.0)


def _record_failure(notification: Notification, exc: Exception) -> str:
    # The code only: an exception text may quote the address or the number.
    code = getattr(exc, "code", "") if isinstance(exc, GatewayError) else ""
    code = (code or type(exc).__name__)[:64]
    now = timezone.now()
    permanent = isinstance(exc, GatewayError) and exc.permanent
    # notification.attempts already counts this attempt (the claim added it)
    next_at = None if permanent else _next_attempt(notification.attempts, now)
    _when_database_answers(
        lambda: Notification.objects.filter(
            pk=notification.pk, status=DeliveryStatus.SENDING
        ).update(
            status=DeliveryStatus.FAILED,
            last_error=code,
            claimed_at=None,
            next_attempt_at=next_at,
            updated_at=now,
        )
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


def due_for_retry(*, now: datetime | None = None) -> list[int]:
    """The notifications due for another attempt, oldest first (at most a batch).

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
    return list(
        Notification.objects.filter(due).order_by("id").values_list("id", flat=True)[:RETRY_BATCH]
    )
