"""The caller of a service, as every layer from accounts up types it.

``request.user`` is already an ``Actor``: a ``User`` when signed in (session or
API token), Django's ``AnonymousUser`` otherwise. mypy narrows it on
``actor.is_authenticated``; ``signed_in()`` narrows and refuses in one step.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from simi.accounts.models import User
from simi.core.errors import NotAuthenticated

Actor: TypeAlias = User | AnonymousUser


def signed_in(actor: Actor) -> User:
    """The signed-in account, or ``NotAuthenticated`` (401 / the sign-in page)."""
    if not actor.is_authenticated:
        raise NotAuthenticated()
    return actor
