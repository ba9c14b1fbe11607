"""Device keys and signatures: each device has its own key, an HMAC-SHA256
secret that SIMI makes and shows once, or an Ed25519 key pair whose public
half (raw 32 bytes, base64) is registered.

A device signs ``f"{timestamp}\\n{nonce}\\n"`` followed by the raw body
(``ingest.py`` checks it); a timestamp is accepted within ``MAX_SKEW`` of
our clock and a nonce is remembered for ``NONCE_RETENTION``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils.translation import gettext_lazy as _

from simi.core.errors import ValidationFailed
from simi.oversight.codes import Code
from simi.oversight.models import Device, DeviceKeyKind

# Nonces are kept twice the timestamp window: a request is accepted while its
# timestamp is within MAX_SKEW of our clock, so its nonce matters that long
# after the first time it was seen, plus the skew it may have had then.
MAX_SKEW = timedelta(minutes=5)
NONCE_RETENTION = 2 * MAX_SKEW


def new_key_id() -> str:
    return secrets.token_hex(4)


def new_hmac_secret() -> str:
    """A fresh secret; the device uses its UTF-8 bytes as the HMAC key."""
    return "sdk_" + secrets.token_urlsafe(32)


def parse_public_key(text: str) -> bytes:
    """The raw 32 bytes of an Ed25519 public key given in base64 (or base64url)."""
    clean = "".join((text or "").split())
    try:
        raw = base64.b64decode(clean.replace("-", "+").replace("_", "/") + "=" * (-len(clean) % 4))
        Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise ValidationFailed.for_field(
            "public_key",
            _("Paste the device's Ed25519 public key: 32 bytes in base64 (44 characters)."),
            code=Code.PUBLIC_KEY_INVALID,
        ) from None
    return raw


def signed_message(timestamp: str, nonce: str, body: bytes) -> bytes:
    """What a device signs: ``f"{timestamp}\\n{nonce}\\n"`` followed by the raw body."""
    return f"{timestamp}\n{nonce}\n".encode() + body


def sign_hmac(secret: str, timestamp: str | int, nonce: str, body: bytes) -> str:
    """The hex signature an HMAC device sends (for clients, tests and the bench)."""
    message = signed_message(str(timestamp), nonce, body)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _signature_bytes(signature: str, length: int) -> bytes | None:
    """Hex or base64 (standard or url-safe, padding optional) of ``length`` bytes."""
    text = signature.strip()
    if len(text) == 2 * length and re.fullmatch(r"[0-9a-fA-F]+", text):
        return bytes.fromhex(text)
    try:
        raw = base64.b64decode(
            text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4), validate=True
        )
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == length else None


def signature_valid(device: Device, message: bytes, signature: str) -> bool:
    """Constant-time HMAC comparison, or Ed25519 verification."""
    if device.key_kind == DeviceKeyKind.HMAC:
        given = _signature_bytes(signature, 32)
        expected = hmac.new((device.secret or "").encode(), message, hashlib.sha256).digest()
        return given is not None and hmac.compare_digest(given, expected)
    given = _signature_bytes(signature, 64)
    if given is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(device.public_key)).verify(
            given, message
        )
    except (InvalidSignature, ValueError):
        return False
    return True
