"""Raising a notification (``notify``); sending it is ``delivery``'s work.

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

import uuid
from collections.abc import Sequence

from django.db import transaction

from simi.accounts.models import User
from simi.core.crypto import encrypt
from simi.notifications.events import CODE_CONTEXT, EVENT_SPECS, Event
from simi.notifications.models import Channel, Notification
from simi.notifications.recipients import channels_for
from simi.notifications.tasks import deliver_notification


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


def _enqueue(ids: Sequence[int]) -> None:
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

    Channels: those the account chose on its page (e-mail; SMS and WhatsApp
    with a verified number); for an account that never chose, e-mail, and SMS
    (and/or WhatsApp, setting ``SIMI_NOTIFICATION_PHONE_CHANNELS``) when it has
    a phone (``recipients``). Inactive accounts get nothing. Call it inside your
    service's transaction: rows join it, and delivery is queued only after it
    commits, so a rollback sends nothing. Bad ``event``/``params``/``link`` raise
    ``ValueError`` (a programming error, caught by your tests).
    """
    clean = _clean_params(event, params)
    _check_link(link)
    if not key or len(key) > 200:
        raise ValueError("key must be 1 to 200 characters")
    created_ids = []
    for channel in channels_for(recipient):
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


@transaction.atomic
def notify_phone_code(*, recipient: User, code: str) -> None:
    """Send a one-time code by SMS to the number waiting for it (accounts'
    hook ``accounts.phone_code``). The code is stored sealed (encrypted) in
    the outbox row until the SMS is sent, then wiped."""
    notification = Notification.objects.create(
        recipient=recipient,
        key=f"phone_code:{uuid.uuid4().hex}",
        channel=Channel.SMS,
        event=Event.PHONE_CODE,
        params={"code_sealed": encrypt(code, context=CODE_CONTEXT)},
    )
    notification_id = notification.pk
    transaction.on_commit(lambda: _enqueue([notification_id]), robust=True)
