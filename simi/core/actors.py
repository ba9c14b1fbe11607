"""Who performs an action, as the layers below accounts know it.

Services take the caller as ``actor``. Above accounts that is
``simi.accounts.actors.Actor`` (a signed-in ``User`` or Django's
``AnonymousUser``; mypy narrows it on ``actor.is_authenticated``). Core,
audit and people sit below accounts and cannot name ``User``, so they type
the caller by what they use: ``Someone`` (anybody, signed in or not) and,
after an ``isinstance`` check, ``Account`` (a signed-in account with a role,
an office and capabilities). ``User`` satisfies both; ``AnonymousUser`` only
the first.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from simi.core.capabilities import Capability


@runtime_checkable
class Someone(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...


@runtime_checkable
class Account(Someone, Protocol):
    role: str
    office_id: int | None

    def can(self, capability: Capability) -> bool: ...


def may(actor: Someone | None, capability: Capability) -> bool:
    """Whether ``actor`` is a signed-in account whose role grants ``capability``."""
    return (
        actor is not None
        and actor.is_authenticated
        and isinstance(actor, Account)
        and actor.can(capability)
    )
