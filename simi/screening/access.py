"""Who may do what in screening: capabilities from simi.accounts.roles."""

from __future__ import annotations

from typing import Any

from simi.accounts.scoping import visible_office_ids
from simi.core.capabilities import Capability
from simi.core.errors import NotAuthenticated, PermissionDenied

SCREEN: Capability = "screening:screen"
REVIEW: Capability = "screening:review"
MANAGE: Capability = "screening:manage"
REPORT: Capability = "screening:report"


def can(actor: Any, capability: str) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.can(capability))


def require_capability(actor: Any, capability: str) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not actor.can(capability):
        raise PermissionDenied()


def can_see_control(actor: Any) -> bool:
    return any(can(actor, c) for c in (SCREEN, REVIEW, MANAGE, REPORT))


def in_office_scope(actor: Any, office_id: int) -> bool:
    visible = visible_office_ids(actor)
    return visible is None or office_id in visible
