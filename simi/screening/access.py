"""Who may do what in screening: capabilities from simi.accounts.roles."""

from __future__ import annotations

from typing import Final

from simi.accounts.actors import Actor
from simi.accounts.models import User
from simi.accounts.scoping import visible_office_ids
from simi.core.capabilities import Capability
from simi.core.errors import NotAuthenticated, PermissionDenied

SCREEN: Final[Capability] = "screening:screen"
REVIEW: Final[Capability] = "screening:review"
MANAGE: Final[Capability] = "screening:manage"
REPORT: Final[Capability] = "screening:report"


def can(actor: Actor, capability: Capability) -> bool:
    return actor.is_authenticated and actor.can(capability)


def require_capability(actor: Actor, capability: Capability) -> User:
    """The signed-in user whose role grants ``capability``."""
    if not actor.is_authenticated:
        raise NotAuthenticated()
    if not actor.can(capability):
        raise PermissionDenied()
    return actor


def can_see_control(actor: Actor) -> bool:
    return any(can(actor, c) for c in (SCREEN, REVIEW, MANAGE, REPORT))


def in_office_scope(actor: User, office_id: int) -> bool:
    visible = visible_office_ids(actor)
    return visible is None or office_id in visible
