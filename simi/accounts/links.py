"""Signed links SIMI sends by e-mail (today: verifying an address).

A link carries the account's public id and a fingerprint of the address, signed
with the secret key; it names no address itself (a signed token is only base64,
anyone could read an e-mail inside) and stops working when the address
changes or the link gets old. The mail jobs write links, the services read
them, so both come here rather than one from the other.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from simi.accounts.codes import Code
from simi.accounts.models import User
from simi.core.errors import ValidationFailed

_VERIFY_SALT = "simi.accounts.email-verification"


def _email_fingerprint(email: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{email}".encode()).hexdigest()[:16]


def email_verification_token(user: User) -> str:
    payload = {"u": str(user.public_id), "e": _email_fingerprint(user.email)}
    return signing.dumps(payload, salt=_VERIFY_SALT)


def email_verification_read(token: str) -> tuple[str, str]:
    """The account's public id and the address fingerprint a link carries;
    ``ValidationFailed`` when it is forged, altered or older than allowed."""
    max_age = timedelta(hours=settings.SIMI_EMAIL_VERIFICATION_HOURS)
    try:
        payload = signing.loads(token, salt=_VERIFY_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationFailed.for_field(
            "token",
            _("This verification link has expired. Register again to get a new one."),
            code=Code.VERIFICATION_EXPIRED,
        ) from None
    except signing.BadSignature:
        raise ValidationFailed.for_field(
            "token", _("This verification link is not valid."), code=Code.VERIFICATION_INVALID
        ) from None
    return str(payload.get("u", "")), str(payload.get("e", ""))


def email_matches(user: User, fingerprint: str) -> bool:
    """Whether the link was made for the account's current address."""
    return hmac.compare_digest(_email_fingerprint(user.email), fingerprint)
