"""The one limiter that every password check goes through.

Web sign-in, the admin's sign-in and API tokens (and the password reset, when
it comes) call ``begin()`` before they check a password, then
``Attempt.succeeded()`` when it was right or ``Attempt.void()`` when nothing
was checked after all (a malformed form). An attempt that ends neither way
stays counted as a failure, so a forgotten call or a crash fails safe.

Three delays, each a ``Backoff`` row shared by every worker (docs/security.md,
"Rate limits"):

- PAIR, one account from one client network: the attacker's own delay. Five
  free tries, then 1, 2, 4 ... seconds, up to 15 minutes.
- NETWORK, one client network against every account (password spraying).
- ACCOUNT, one account from every network (a distributed guesser). It counts
  every attempt, but it only holds back networks that have already tried
  this account: a network's first attempt is never held back by it, so
  nobody can lock the owner out from elsewhere.

The owner's own browser carries a signed device cookie from its last
sign-in; with it, only its own (account, device) delay applies, whatever
others do from any address.
"""

from __future__ import annotations

import hmac
import logging
import math
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, ngettext

from simi.core.codes import CommonCode
from simi.core.crypto import blind_index
from simi.core.errors import RateLimited
from simi.core.metrics import rate_limit_hit
from simi.core.ratelimit import Backoff, client_network

logger = logging.getLogger("simi.credentials")

PAIR = Backoff("signin-pair", free=5, cap_seconds=15 * 60, forget_seconds=24 * 3600)
NETWORK = Backoff("signin-network", free=30, cap_seconds=15 * 60, forget_seconds=15 * 60)
ACCOUNT = Backoff("signin-account", free=10, cap_seconds=15 * 60, forget_seconds=3600)

DEVICE_COOKIE = "simi_device"
DEVICE_DAYS = 180
_DEVICE_SALT = "simi.credentials.device"


def _wait_text(seconds: int) -> str:
    if seconds < 120:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


class SignInDelayed(RateLimited):
    """Too many wrong passwords: this attempt must wait ``retry_after`` seconds."""

    code = CommonCode.SIGN_IN_DELAYED

    def __init__(self, retry_after: int) -> None:
        message = gettext(
            "Too many sign-in attempts. For your account's safety, try again in %(wait)s."
        ) % {"wait": _wait_text(retry_after)}
        super().__init__(message, retry_after=retry_after)


def normalize_account(account: str) -> str:
    """The account identifier as the limiter counts it (as sign-in looks it up)."""
    return (account or "").strip().lower()


def _account_tag(account: str) -> str:
    return blind_index("credentials:device", account)[:24]


def _device(request: HttpRequest, account: str) -> str | None:
    """The device id of a valid device cookie for this account, if the browser has one."""
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=_DEVICE_SALT, max_age=DEVICE_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not value.get("d"):
        return None
    if not hmac.compare_digest(str(value.get("a", "")), _account_tag(account)):
        return None
    return str(value["d"])


def remember_device(request: HttpRequest, response: HttpResponse, *, account: str) -> None:
    """After a sign-in with the right password: this browser is the owner's.

    The cookie holds a keyed hash of the account and a random device id,
    signed; no address. A browser remembers one account (the last one).
    """
    account = normalize_account(account)
    device = _device(request, account) or secrets.token_hex(16)
    value = signing.dumps({"a": _account_tag(account), "d": device}, salt=_DEVICE_SALT)
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_DAYS * 86400,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


@dataclass
class Attempt:
    """One password check let through; say how it ended."""

    account: str
    pair: str
    network: str | None  # None: the owner's device, counted on its own delay only

    def succeeded(self) -> None:
        """The password was right: this client's delay for the account ends.

        The network and account counts take this attempt back, but keep what
        others did: a sign-in to one's own account cannot wipe out a guesser's.
        """
        PAIR.clear(self.pair)
        if self.network is not None:
            NETWORK.give_back(self.network)
            ACCOUNT.give_back(self.account)

    def void(self) -> None:
        """No password was checked after all: the attempt does not count."""
        PAIR.give_back(self.pair)
        if self.network is not None:
            NETWORK.give_back(self.network)
            ACCOUNT.give_back(self.account)


def _refuse(wait: int, limit: str) -> SignInDelayed:
    logger.info(CommonCode.SIGN_IN_DELAYED.value, extra={"limit": limit, "retry_after": wait})
    rate_limit_hit(f"signin-{limit}")
    return SignInDelayed(wait)


def begin(request: HttpRequest, *, account: str) -> Attempt:
    """Let one password check through, or raise ``SignInDelayed``.

    Counts the attempt before the password is checked, so parallel guesses
    are counted one by one. Unknown and known accounts are counted alike.
    """
    account = normalize_account(account)
    device = _device(request, account)
    if device is not None:
        pair = f"{account}\x1fdevice:{device}"
        _count, wait = PAIR.take(pair)
        if wait:
            raise _refuse(wait, "device")
        return Attempt(account=account, pair=pair, network=None)

    network = client_network(request)
    pair = f"{account}\x1f{network}"
    # A look first, so that most refused attempts change nothing.
    tried, pair_wait = PAIR.peek(pair)
    waits = {"pair": pair_wait, "network": NETWORK.peek(network)[1]}
    if tried:
        waits["account"] = ACCOUNT.peek(account)[1]
    limit = max(waits, key=lambda name: waits[name])
    if waits[limit]:
        raise _refuse(waits[limit], limit)

    taken: list[tuple[Backoff, str]] = []
    try:
        count, wait = PAIR.take(pair)
        if wait:
            raise _refuse(wait, "pair")
        taken.append((PAIR, pair))
        _count, wait = NETWORK.take(network)
        if wait:
            raise _refuse(wait, "network")
        taken.append((NETWORK, network))
        # Counted always; holds back only a network that tried this account before.
        _count, wait = ACCOUNT.take(account, enforce=count > 1)
        if wait:
            raise _refuse(wait, "account")
    except SignInDelayed:
        for policy, subject in taken:
            policy.give_back(subject)
        raise
    return Attempt(account=account, pair=pair, network=network)
