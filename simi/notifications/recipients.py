"""Who a notification reaches, and how: the recipient's channels, the phone
number, and the number of delivery attempts.

An account that chose its channels (the account page) gets those it may
still have: e-mail while it has an address, SMS and WhatsApp while it has a
verified mobile number. An account that never chose gets e-mail, and the
phone channels of ``SIMI_NOTIFICATION_PHONE_CHANNELS`` when a phone is known
(its verified number, else its identity record's phone).
"""

from __future__ import annotations

from django.conf import settings

from simi.accounts.contact import pending_mobile, verified_mobile
from simi.accounts.models import User
from simi.notifications.models import Channel


def max_attempts() -> int:
    return int(getattr(settings, "SIMI_NOTIFICATION_MAX_ATTEMPTS", 5))


def phone_channels() -> list[str]:
    """Which phone channels a recipient with a phone gets (setting; default SMS)."""
    configured = getattr(settings, "SIMI_NOTIFICATION_PHONE_CHANNELS", [Channel.SMS])
    return [Channel(name).value for name in configured]


def phone_of(user: User) -> str:
    """The number messages go to: the verified mobile number, else the phone
    of the identity record (accounts that never verified one)."""
    verified = verified_mobile(user)
    if verified:
        return verified
    person = user.person
    return (person.phone or "").strip() if person is not None else ""


def code_destination(user: User) -> str:
    """Where a verification code goes: the number waiting for it."""
    return pending_mobile(user)


def channels_for(user: User) -> list[str]:
    """The channels a notification to ``user`` is written for, in order."""
    if not user.is_active:
        return []
    chosen = user.notification_channels
    if chosen is None:
        channels = [Channel.EMAIL.value] if user.email else []
        if phone_of(user):
            channels += phone_channels()
        return channels
    has_phone = bool(verified_mobile(user))
    return [
        channel
        for channel in Channel.values
        if channel in chosen and (bool(user.email) if channel == Channel.EMAIL else has_phone)
    ]
