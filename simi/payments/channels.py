"""Payment channels: the signature they put on notifications, and the demo
bank used in development, demos and end-to-end tests.

A channel signs ``f"{timestamp}.{raw body}"`` with HMAC-SHA256 and its
secret, and sends the hex digest in ``X-Simi-Signature``. The timestamp
(unix seconds, ``X-Simi-Timestamp``) must be within five minutes of SIMI's
clock, so a captured notification cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from simi.audit.services import audit_record
from simi.payments.codes import Action
from simi.payments.models import PaymentChannel

SIGNATURE_HEADER = "X-Simi-Signature"
TIMESTAMP_HEADER = "X-Simi-Timestamp"
CHANNEL_HEADER = "X-Simi-Channel"
MAX_SKEW_SECONDS = 300

DEMO_CHANNEL_CODE = "demo-bank"
DEMO_CHANNEL_NAME = "Bank Demo SIMI (synthetic)"
# Published with the demo (docs/payments.md) like the demo password; refused
# when SIMI_ENV=production. A deployment that keeps a sandbox channel sets
# SIMI_DEMO_BANK_SECRET (or SIMI_DEMO_BANK_SECRET_FILE).
DEMO_CHANNEL_SECRET = "simi-demo-bank-secret-not-for-production"  # noqa: S105 - public demo value
DEMO_SECRET_ENV = "SIMI_DEMO_BANK_SECRET"  # noqa: S105 - a variable name


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The hex HMAC-SHA256 a channel sends for ``body`` at ``timestamp``."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_matches(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """Constant-time comparison, so timing reveals nothing about the secret."""
    expected = sign(secret, timestamp, body)
    return hmac.compare_digest(expected.encode(), signature.strip().lower().encode())


NTPN_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def demo_ntpn() -> str:
    """A synthetic receipt number (NTPN) as the demo bank sends it: 16 digits
    or capital letters, random."""
    return "".join(secrets.choice(NTPN_ALPHABET) for _ in range(16))


def is_published_demo_secret(secret: str) -> bool:
    return hmac.compare_digest(secret.encode(), DEMO_CHANNEL_SECRET.encode())


def demo_secret() -> str:
    """The demo bank's secret: the setting or environment variable when set,
    else the published demo value, which production refuses."""
    from simi.envconf import env_str

    configured = getattr(settings, DEMO_SECRET_ENV, "") or ""
    if not configured and (
        os.environ.get(DEMO_SECRET_ENV) or os.environ.get(f"{DEMO_SECRET_ENV}_FILE")
    ):
        configured = env_str(DEMO_SECRET_ENV, "")
    if configured:
        if settings.PRODUCTION and is_published_demo_secret(configured):
            raise ImproperlyConfigured(f"{DEMO_SECRET_ENV} is the published demo value.")
        return configured
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            f"The demo bank has no secret in production; set {DEMO_SECRET_ENV} or do not use it."
        )
    return DEMO_CHANNEL_SECRET


@transaction.atomic
def demo_channel_ensure() -> PaymentChannel:
    """The ``demo-bank`` channel with the current demo secret (made or updated)."""
    secret = demo_secret()
    channel = (
        PaymentChannel.objects.select_for_update(no_key=True).filter(code=DEMO_CHANNEL_CODE).first()
    )
    if channel is None:
        channel = PaymentChannel.objects.create(
            code=DEMO_CHANNEL_CODE, name=DEMO_CHANNEL_NAME, secret=secret, is_active=True
        )
        audit_record(
            actor=None,
            action=Action.CHANNEL_CREATED,
            target=channel,
            data={"channel": channel.code},
        )
    elif channel.secret != secret or not channel.is_active:
        channel.secret = secret
        channel.is_active = True
        channel.save(update_fields=["secret", "is_active", "updated_at"])
        audit_record(
            actor=None,
            action=Action.CHANNEL_SECRET_CHANGED,
            target=channel,
            data={"channel": channel.code},
        )
    return channel


def channel_usable(channel: PaymentChannel) -> bool:
    """Active, and never the published demo secret in production."""
    if not channel.is_active:
        return False
    return not (settings.PRODUCTION and is_published_demo_secret(channel.secret or ""))
