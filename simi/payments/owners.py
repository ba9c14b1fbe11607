"""What payments asks a bill's owner, without importing it.

A bill belongs to an owner in a domain above payments (an application, an
enforcement case), named by data only: ``(bill.purpose, bill.reference)``.
That domain lists its handlers in ``settings.SIMI_BILL_HANDLERS[purpose]``,
dotted paths resolved with ``simi.core.hooks.named``, each called with
``bill=`` inside the transaction of the change (a failing handler rolls the
change back with it):

- ``"paid"`` (required): the bill was paid (``payment_notices.py``).
- ``"expired"`` (required): the unpaid bill expired and is handed over: the
  payer has been told; the owner decides what follows (cancel what it was
  for, reissue the bill with ``services.bill_reissue``, or nothing).
- ``"on_expiry"`` (optional): asked first, when the bill has just expired:
  returns an ``Expiry``, e.g. ``Expiry.reissue(timedelta(days=7))`` (payments
  issues a new code for the same amount and lines), ``Expiry.lapse()`` (the
  owner no longer wants it paid: nothing more happens) or
  ``Expiry.hand_over()`` (tell the payer, call ``"expired"``; also what
  happens without this handler).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from simi.core.hooks import named

if TYPE_CHECKING:
    from simi.payments.models import Bill

ExpiryKind = Literal["hand_over", "reissue", "lapse"]


@dataclass(frozen=True)
class Expiry:
    """An owner's answer to "your unpaid bill expired: what now?"."""

    kind: ExpiryKind
    valid_for: timedelta | None = None  # of the reissued bill

    @classmethod
    def hand_over(cls) -> Expiry:
        return cls("hand_over")

    @classmethod
    def lapse(cls) -> Expiry:
        return cls("lapse")

    @classmethod
    def reissue(cls, valid_for: timedelta) -> Expiry:
        return cls("reissue", valid_for)


def _handlers(purpose: str) -> dict[str, str]:
    registry = getattr(settings, "SIMI_BILL_HANDLERS", {}) or {}
    return registry.get(purpose) or {}


def bill_handler(purpose: str, event: str) -> Callable[..., Any]:
    """The callable ``settings.SIMI_BILL_HANDLERS[purpose][event]`` names."""
    path = _handlers(purpose).get(event)
    if not path:
        raise ImproperlyConfigured(f"SIMI_BILL_HANDLERS[{purpose!r}][{event!r}] is not set.")
    handler: Callable[..., Any] = named(path)
    return handler


def owner_told(bill: Bill, event: Literal["paid", "expired"]) -> None:
    """Call the owner's ``paid`` or ``expired`` handler."""
    bill_handler(bill.purpose, event)(bill=bill)


def owner_expiry(bill: Bill) -> Expiry:
    """The owner's ``on_expiry`` answer for ``bill``; hand over without one."""
    if not _handlers(bill.purpose).get("on_expiry"):
        return Expiry.hand_over()
    answer = bill_handler(bill.purpose, "on_expiry")(bill=bill)
    if not isinstance(answer, Expiry) or (
        answer.kind == "reissue" and (answer.valid_for is None or answer.valid_for <= timedelta(0))
    ):
        raise ImproperlyConfigured(
            f"SIMI_BILL_HANDLERS[{bill.purpose!r}]['on_expiry'] answered {answer!r}, not an Expiry."
        )
    return answer
