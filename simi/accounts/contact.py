"""How SIMI reaches an account: its mobile number (verified by a code sent by
SMS) and the channels its owner chose. Every write here is audited.

A number is verified for one account at most. Entering a number that another
account has verified is answered exactly like any other number ("we sent a
code to +62 812 ***** 890"), but no code is sent: the other account's owner
gets no message they did not ask for, and the code that is stored is one
nobody knows, so every try is a wrong code. Nobody learns from SIMI whose
number it is; a number given up by its old owner (telcos reuse numbers) is
freed when that account removes it or is erased.

The code: 6 digits, kept only as a keyed digest, valid for
``CODE_MINUTES`` and for ``CODE_TRIES`` wrong tries; a new one at most every
``RESEND_SECONDS`` and ``CODES_PER_HOUR`` an hour per account, and
``CODES_PER_NUMBER`` an hour to one number whoever asks (more are answered
alike and send nothing). The SMS goes through the notifications outbox
(``SIMI_HOOKS["accounts.phone_code"]``; accounts does not import it).
"""

from __future__ import annotations

import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from simi.accounts.actors import Actor, signed_in
from simi.accounts.codes import Action, Code
from simi.accounts.models import PHONE_CHANNELS, AccountPhone, NotificationChannel, User
from simi.accounts.phones import clean_mobile, mobile_index, parse_mobile
from simi.audit.services import audit_record
from simi.core.crypto import blind_index
from simi.core.errors import RateLimited, ValidationFailed
from simi.core.hooks import run_hook
from simi.core.ratelimit import hit, hit_wait

CODE_MINUTES = 10
CODE_TRIES = 5
RESEND_SECONDS = 60
CODES_PER_HOUR = 5
CODES_PER_NUMBER = 5
CHANNEL_CHANGES_PER_HOUR = 20
HOUR = 3600


# --- reading -------------------------------------------------------------


def phone_of_account(user: User) -> AccountPhone | None:
    """The account's phone row, if it ever entered a number."""
    try:
        return user.phone
    except AccountPhone.DoesNotExist:
        return None


def verified_mobile(user: User) -> str:
    """The account's verified number (E.164), or ""."""
    phone = phone_of_account(user)
    return phone.number or "" if phone is not None and phone.verified else ""


def pending_mobile(user: User) -> str:
    """The number waiting for its code (E.164), or ""."""
    phone = phone_of_account(user)
    return phone.pending_number or "" if phone is not None else ""


def account_by_mobile(number: str) -> User | None:
    """The active account that verified this E.164 number (sign-in), or None."""
    phone = (
        AccountPhone.objects.select_related("account")
        .filter(number_index=mobile_index(number), account__is_active=True)
        .first()
    )
    return phone.account if phone is not None else None


def sign_in_account(raw: str) -> str:
    """The account identifier that sign-in counts (``core.credentials``) and
    looks up: an e-mail address in lower case; for a mobile number in any
    accepted format, the address of the account that verified it (so the
    number and the address share one count), else the number in E.164."""
    text = (raw or "").strip()
    if "@" in text:
        return text.lower()
    number = parse_mobile(text)
    if number is None:
        return text.lower()
    account = account_by_mobile(number)
    return account.email if account is not None else number


def channels_available(user: User) -> list[str]:
    """The channels the owner may choose now: e-mail, and the phone channels
    when a verified number exists."""
    available = [NotificationChannel.EMAIL.value] if user.email else []
    if verified_mobile(user):
        available += [NotificationChannel.SMS.value, NotificationChannel.WHATSAPP.value]
    return available


def channels_shown(user: User) -> list[str]:
    """The channels the page shows ticked: the choice, or e-mail before any."""
    if user.notification_channels is None:
        return [NotificationChannel.EMAIL.value]
    return [c for c in user.notification_channels if c in NotificationChannel.values]


# --- the number and its code ----------------------------------------------


def _code_digest(phone: AccountPhone, number_index: str, code: str) -> str:
    return blind_index("accounts:phone-code", f"{phone.pk}:{number_index}:{code}")


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _wait_error(seconds: int, *, code: Code) -> RateLimited:
    if code == Code.PHONE_CODE_WAIT:
        message = ngettext(
            "We sent a code moments ago. You can ask for another in %(n)d second.",
            "We sent a code moments ago. You can ask for another in %(n)d seconds.",
            seconds,
        ) % {"n": seconds}
    else:
        minutes = max(1, math.ceil(seconds / 60))
        message = ngettext(
            "You asked for too many codes. Try again in %(n)d minute.",
            "You asked for too many codes. Try again in %(n)d minutes.",
            minutes,
        ) % {"n": minutes}
    return RateLimited(message, code=code, retry_after=seconds)


def _check_send_allowed(user: User) -> None:
    """The account's own limits; counted outside the write so that they stay counted."""
    phone = phone_of_account(user)
    if phone is not None and phone.code_sent_at is not None:
        since = (timezone.now() - phone.code_sent_at).total_seconds()
        if since < RESEND_SECONDS:
            raise _wait_error(math.ceil(RESEND_SECONDS - since), code=Code.PHONE_CODE_WAIT)
    wait = hit_wait("phone-code-account", str(user.pk), limit=CODES_PER_HOUR, window_seconds=HOUR)
    if wait:
        raise _wait_error(wait, code=Code.PHONE_CODES_LIMITED)


@dataclass(frozen=True)
class CodeSent:
    """What the owner is told: where the code went and until when it works."""

    number: str
    expires_at: datetime


def phone_number_set(*, actor: Actor, number: str) -> CodeSent:
    """Enter a (new) mobile number: it waits for the code sent to it by SMS.

    The verified number, if any, keeps working until the new one is
    verified. Refused: a malformed number (``phone_format``), the account's
    own verified number again (``phone_same``), too soon or too often
    (``phone_code_wait``, ``phone_codes_limited``, 429 with Retry-After).
    """
    user = signed_in(actor)
    e164 = clean_mobile(number)
    current = phone_of_account(user)
    if current is not None and current.verified and current.number == e164:
        raise ValidationFailed.for_field(
            "number", _("This is already your verified number."), code=Code.PHONE_SAME
        )
    _check_send_allowed(user)
    index = mobile_index(e164)
    may_send = hit("phone-code-number", index, limit=CODES_PER_NUMBER, window_seconds=HOUR)
    return _code_issue(user=user, number=e164, index=index, may_send=may_send, new=True)


def phone_code_resend(*, actor: Actor) -> CodeSent:
    """A new code for the number waiting for one; the old code stops working."""
    user = signed_in(actor)
    phone = phone_of_account(user)
    if phone is None or not phone.pending_number or not phone.pending_index:
        raise _no_pending()
    _check_send_allowed(user)
    may_send = hit(
        "phone-code-number", phone.pending_index, limit=CODES_PER_NUMBER, window_seconds=HOUR
    )
    return _code_issue(
        user=user,
        number=phone.pending_number,
        index=phone.pending_index,
        may_send=may_send,
        new=False,
    )


@transaction.atomic
def _code_issue(*, user: User, number: str, index: str, may_send: bool, new: bool) -> CodeSent:
    phone, _created = AccountPhone.objects.get_or_create(account=user)
    phone = AccountPhone.objects.select_for_update(of=("self",), no_key=True).get(pk=phone.pk)
    taken = (
        AccountPhone.objects.filter(number_index=index).exclude(account=user).exists()
    )  # verified by another account: the same answer, but nothing is sent to them
    send = may_send and not taken
    code = _new_code()
    now = timezone.now()
    phone.pending_number = number
    phone.pending_index = index
    phone.code_digest = _code_digest(phone, index, code if send else secrets.token_hex(16))
    phone.code_sent_at = now
    phone.code_expires_at = now + timedelta(minutes=CODE_MINUTES)
    phone.code_failures = 0
    phone.save(
        update_fields=[
            "pending_number",
            "pending_index",
            "code_digest",
            "code_sent_at",
            "code_expires_at",
            "code_failures",
            "updated_at",
        ]
    )
    reason = "" if send else ("verified_elsewhere" if taken else "number_limit")
    audit_record(
        actor=user,
        action=Action.PHONE_ADDED if new else Action.PHONE_CODE_RESENT,
        target=user,
        data={"code_sent": send, **({"withheld": reason} if reason else {})},
    )
    if send:
        run_hook("accounts.phone_code", account=user, code=code)
    return CodeSent(number=number, expires_at=phone.code_expires_at)


def _no_pending(*, field: str | None = None) -> ValidationFailed:
    message = _("No number waits for a code. Enter your mobile number first.")
    if field is None:
        return ValidationFailed(message, code=Code.PHONE_NONE)
    return ValidationFailed.for_field(field, message, code=Code.PHONE_NONE)


class _Outcome(Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED_UP = "used_up"
    NONE = "none"


def phone_code_confirm(*, actor: Actor, code: str) -> AccountPhone:
    """Verify the waiting number with its code; it replaces the verified one.

    A wrong code counts (``phone_code_wrong``, with the tries left); after
    ``CODE_TRIES`` wrong ones the code is used up (``phone_code_used_up``,
    even the right one), after ``CODE_MINUTES`` it has expired
    (``phone_code_expired``): ask for a new code. The count is written
    before the refusal, so a refused try stays counted.
    """
    user = signed_in(actor)
    cleaned = "".join((code or "").split())
    outcome, left, phone = _code_check(user=user, code=cleaned)
    if outcome is _Outcome.VERIFIED:
        assert phone is not None
        return phone
    if outcome is _Outcome.NONE:
        raise _no_pending(field="code")
    if outcome is _Outcome.EXPIRED:
        raise ValidationFailed.for_field(
            "code",
            _("This code has expired. Ask for a new code."),
            code=Code.PHONE_CODE_EXPIRED,
        )
    if outcome is _Outcome.USED_UP:
        raise ValidationFailed.for_field(
            "code",
            _("Too many wrong codes. Ask for a new code."),
            code=Code.PHONE_CODE_USED_UP,
        )
    raise ValidationFailed.for_field(
        "code",
        ngettext(
            "This code is not correct. You have %(n)d more try.",
            "This code is not correct. You have %(n)d more tries.",
            left,
        )
        % {"n": left},
        code=Code.PHONE_CODE_WRONG,
    )


@transaction.atomic
def _code_check(*, user: User, code: str) -> tuple[_Outcome, int, AccountPhone | None]:
    phone = (
        AccountPhone.objects.select_for_update(of=("self",), no_key=True)
        .filter(account=user)
        .first()
    )
    if phone is None or not phone.pending_index:
        return _Outcome.NONE, 0, None
    now = timezone.now()
    outcome: _Outcome | None = None
    if not phone.code_digest:
        outcome = _Outcome.EXPIRED  # entered at registration: no code was sent yet
    elif phone.code_failures >= CODE_TRIES:
        outcome = _Outcome.USED_UP
    elif phone.code_expires_at is None or phone.code_expires_at <= now:
        outcome = _Outcome.EXPIRED
    elif not (
        len(code) == 6
        and code.isdigit()
        and hmac.compare_digest(phone.code_digest, _code_digest(phone, phone.pending_index, code))
    ):
        phone.code_failures += 1
        phone.save(update_fields=["code_failures", "updated_at"])
        outcome = _Outcome.WRONG
    if outcome is None:
        outcome = _verify(phone, now)
    if outcome is not _Outcome.VERIFIED:
        audit_record(
            actor=user,
            action=Action.PHONE_CODE_FAILED,
            target=user,
            data={"reason": outcome.value, "failures": phone.code_failures},
        )
    return outcome, max(0, CODE_TRIES - phone.code_failures), phone


def _verify(phone: AccountPhone, now: datetime) -> _Outcome:
    replaced = phone.verified
    phone.number = phone.pending_number
    phone.number_index = phone.pending_index
    phone.verified_at = now
    phone.pending_number = None
    phone.pending_index = None
    phone.code_digest = ""
    phone.code_expires_at = None
    phone.code_failures = 0
    try:
        with transaction.atomic():
            phone.save()
    except IntegrityError:
        # Another account verified the number a moment ago: this code was
        # never sent to this account's owner, so it is a wrong code here too.
        phone.refresh_from_db()
        phone.code_failures = CODE_TRIES
        phone.save(update_fields=["code_failures", "updated_at"])
        return _Outcome.USED_UP
    audit_record(
        actor=phone.account,
        action=Action.PHONE_VERIFIED,
        target=phone.account,
        data={"replaced": replaced},
    )
    return _Outcome.VERIFIED


@transaction.atomic
def phone_number_remove(*, actor: Actor) -> None:
    """Remove the account's numbers (verified and waiting); SMS and WhatsApp
    stop, and a choice left without any channel falls back to e-mail.
    Repeating it is harmless."""
    user = signed_in(actor)
    phone = (
        AccountPhone.objects.select_for_update(of=("self",), no_key=True)
        .filter(account=user)
        .first()
    )
    if phone is None:
        return
    had = {"verified": phone.verified, "pending": bool(phone.pending_index)}
    phone.delete()
    audit_record(actor=user, action=Action.PHONE_REMOVED, target=user, data=had)
    if user.notification_channels is not None:
        kept = [c for c in user.notification_channels if c not in PHONE_CHANNELS]
        _channels_save(user, kept or [NotificationChannel.EMAIL.value])


# --- the channels ---------------------------------------------------------


def _channels_save(user: User, channels: list[str]) -> None:
    user.notification_channels = channels
    user.save(update_fields=["notification_channels", "updated_at"])
    audit_record(
        actor=user,
        action=Action.NOTIFICATION_CHANNELS_CHOSEN,
        target=user,
        data={"channels": channels},
    )


@transaction.atomic
def notification_channels_choose(*, actor: Actor, channels: list[str]) -> list[str]:
    """How the owner is told about applications, bills and visits.

    E-mail by choice once the address is verified (always before); SMS and
    WhatsApp only with a verified number; at least one channel. Returns the
    channels in their usual order.
    """
    user = signed_in(actor)
    chosen = set(channels)
    unknown = sorted(chosen - set(NotificationChannel.values))
    if unknown:
        raise ValidationFailed.for_field(
            "channels",
            _("Unknown channel: %(channel)s.") % {"channel": unknown[0]},
            code=Code.CHANNEL_UNKNOWN,
        )
    if not chosen:
        raise ValidationFailed.for_field(
            "channels", _("Choose at least one way to tell you."), code=Code.CHANNELS_EMPTY
        )
    if chosen & PHONE_CHANNELS and not verified_mobile(user):
        raise ValidationFailed.for_field(
            "channels",
            _("SMS and WhatsApp need a verified mobile number. Add and verify it first."),
            code=Code.CHANNEL_NEEDS_PHONE,
        )
    if NotificationChannel.EMAIL.value not in chosen and not user.email_verified:
        raise ValidationFailed.for_field(
            "channels",
            _("E-mail stays on until your e-mail address is verified."),
            code=Code.CHANNEL_NEEDS_EMAIL,
        )
    ordered = [c for c in NotificationChannel.values if c in chosen]
    wait = hit_wait(
        "channel-change", str(user.pk), limit=CHANNEL_CHANGES_PER_HOUR, window_seconds=HOUR
    )
    if wait:
        raise RateLimited(
            _("You changed this too often. Try again in about %(minutes)d minutes.")
            % {"minutes": max(1, math.ceil(wait / 60))},
            code=Code.CHANNEL_CHANGES_LIMITED,
            retry_after=wait,
        )
    user = User.objects.select_for_update(of=("self",), no_key=True).get(pk=user.pk)
    if user.notification_channels != ordered:
        _channels_save(user, ordered)
    return ordered
