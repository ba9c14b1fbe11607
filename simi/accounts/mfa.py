"""Staff multi-factor authentication with TOTP (RFC 6238) and session rules.

Every staff role must pass a second factor before any back-office page,
admin page or staff API operation; staff API tokens are issued only against
a fresh TOTP code. Sensitive actions ask for a code again when the last one
is older than ``SIMI_REAUTH_SECONDS``.
"""

from __future__ import annotations

import base64
import secrets
import time
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.oath import hotp

from simi.accounts.actors import Actor
from simi.accounts.codes import Action, Code
from simi.accounts.models import TotpDevice, User
from simi.audit.services import audit_record
from simi.core.codes import CommonCode
from simi.core.errors import PermissionDenied, RateLimited, ValidationFailed
from simi.core.routing import OTP_HEADER

STEP_SECONDS = 30
MAX_FAILURES = 5
LOCK_MINUTES = 5
SESSION_VERIFIED_AT = "simi_mfa_at"
SESSION_AUTH_AT = "simi_auth_at"
SESSION_SEEN_AT = "simi_seen_at"


def needs_mfa(user: Actor | None) -> bool:
    """Staff roles (and anyone who may open the admin) need a second factor."""
    return user is not None and user.is_authenticated and (user.is_office_staff or user.is_staff)


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def code_at(secret: str, step: int) -> str:
    return f"{hotp(_key(secret), step):06d}"


def current_step(now: float | None = None) -> int:
    return int((now if now is not None else time.time()) // STEP_SECONDS)


def provisioning_uri(device: TotpDevice) -> str:
    label = quote(f"SIMI Lampung Barat:{device.user.email}")
    return f"otpauth://totp/{label}?secret={device.secret}&issuer=SIMI%20Lampung%20Barat&digits=6&period=30"


@transaction.atomic
def mfa_enrolment_start(*, actor: User) -> TotpDevice:
    """An unconfirmed device with a fresh secret (or the pending one)."""
    device = TotpDevice.objects.select_for_update(no_key=True).filter(user=actor).first()
    if device is not None and device.confirmed_at is not None:
        return device
    if device is None:
        device = TotpDevice.objects.create(user=actor, secret=new_secret())
    return device


def _check(device: TotpDevice, code: str) -> bool:
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        return False
    now_step = current_step()
    # One step of clock drift either way; never a step already used.
    for step in (now_step - 1, now_step, now_step + 1):
        if step > device.last_step and secrets.compare_digest(code_at(device.secret, step), code):
            device.last_step = step
            return True
    return False


def mfa_verify(
    *, actor: User, code: str, confirming: bool = False, field: str = "code"
) -> TotpDevice:
    """Check a code; raises ``ValidationFailed`` (naming ``field``, the name
    the caller sent the code under) or ``RateLimited``.

    The attempt (and a failure count or lock) commits before the error is
    raised, so wrong guesses are counted and audited even though the caller
    sees an exception.
    """
    outcome, device = _attempt(actor=actor, code=code, confirming=confirming)
    if outcome == "not_enrolled":
        raise ValidationFailed.for_field(
            field, _("Set up your authenticator first."), code=Code.MFA_NOT_ENROLLED
        )
    if outcome == "locked":
        raise RateLimited(
            _("Too many wrong codes. Wait a few minutes and try again."), code=Code.MFA_LOCKED
        )
    if outcome == "wrong" or device is None:
        raise ValidationFailed.for_field(
            field, _("The code is not correct."), code=Code.MFA_WRONG_CODE
        )
    return device


@transaction.atomic
def _attempt(*, actor: User, code: str, confirming: bool) -> tuple[str, TotpDevice | None]:
    device = TotpDevice.objects.select_for_update(no_key=True).filter(user=actor).first()
    if device is None or (device.confirmed_at is None and not confirming):
        return "not_enrolled", device
    now = timezone.now()
    if device.locked_until and device.locked_until > now:
        return "locked", device
    if not _check(device, code):
        device.failures += 1
        fields = ["failures", "updated_at"]
        if device.failures >= MAX_FAILURES:
            device.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            device.failures = 0
            fields.append("locked_until")
        device.save(update_fields=fields)
        audit_record(actor=actor, action=Action.MFA_FAILED, target=device)
        return "wrong", device
    device.failures = 0
    device.locked_until = None
    fields = ["failures", "locked_until", "last_step", "updated_at"]
    if device.confirmed_at is None:
        device.confirmed_at = now
        fields.append("confirmed_at")
        audit_record(actor=actor, action=Action.MFA_ENROLLED, target=device)
    device.save(update_fields=fields)
    audit_record(actor=actor, action=Action.MFA_VERIFIED, target=device)
    return "ok", device


def mark_session_verified(request: HttpRequest) -> None:
    request.session[SESSION_VERIFIED_AT] = int(time.time())
    # A new key after the second factor, as after the password.
    request.session.cycle_key()


def session_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_VERIFIED_AT))


def session_recently_verified(request: HttpRequest) -> bool:
    verified_at = request.session.get(SESSION_VERIFIED_AT) or 0
    return time.time() - verified_at <= settings.SIMI_REAUTH_SECONDS


def require_fresh_factor(request: HttpRequest) -> None:
    """The check of a sensitive API operation (``fresh_factor=True`` on its
    route; ``settings.SIMI_FRESH_FACTOR_CHECK``).

    A browser session passes with a second-factor code from the last
    ``SIMI_REAUTH_SECONDS``. An API token is not a fresh factor however new it
    is: the request carries a current code in ``X-SIMI-OTP``, checked and spent
    like a code typed at sign-in (a code works once; wrong codes count towards
    the authenticator's lock).
    """
    if getattr(request, "api_token", None) is None:
        if session_recently_verified(request):
            return
        raise PermissionDenied(
            _("Confirm a fresh code from your authenticator app first."),
            code=CommonCode.REAUTH_REQUIRED,
        )
    code = request.headers.get(OTP_HEADER, "")
    if not code:
        raise PermissionDenied(
            _("Send a current code from your authenticator app in the %(header)s header.")
            % {"header": OTP_HEADER},
            code=CommonCode.REAUTH_REQUIRED,
        )
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied(code=CommonCode.REAUTH_REQUIRED)
    mfa_verify(actor=user, code=code, field=OTP_HEADER)


def has_confirmed_device(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
