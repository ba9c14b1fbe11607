"""Who a notification reaches, and how: the recipient's channels and the
number of delivery attempts, both settings."""

from __future__ import annotations

from django.conf import settings

from simi.accounts.models import User
from simi.notifications.models import Channel

PHONE_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP})


def max_attempts() -> int:
    return int(getattr(settings, "SIMI_NOTIFICATION_MAX_ATTEMPTS", 5))


def phone_channels() -> list[str]:
    """Which phone channels a recipient with a phone gets (setting; default SMS)."""
    configured = getattr(settings, "SIMI_NOTIFICATION_PHONE_CHANNELS", [Channel.SMS])
    return [Channel(name).value for name in configured]


def phone_of(user: User) -> str:
    person = user.person
    return (person.phone or "").strip() if person is not None else ""
