"""Signed links SIMI sends by e-mail: verifying an address, resetting a password.

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
from django.contrib.auth.tokens import PasswordResetTokenGenerator
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
            _("This verification link has expired. Ask for a new link."),
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


class _PasswordResetTokens(PasswordResetTokenGenerator):
    """Django's reset token under SIMI's own salt: an HMAC of the account's
    id, password hash, last sign-in, address and the time it was made. It
    stops working after PASSWORD_RESET_TIMEOUT seconds, and once the password
    changes (so it works once) or the account signs in or changes address."""

    key_salt = "simi.accounts.password-reset"


_reset_tokens = _PasswordResetTokens()


def password_reset_token(user: User) -> str:
    return _reset_tokens.make_token(user)


def password_reset_valid(user: User, token: str) -> bool:
    """Whether ``token`` still opens a new password for ``user``."""
    return len(token) <= 100 and _reset_tokens.check_token(user, token)
