"""Who may do what in cases, and the office scope.

Reading needs ``oversight:read`` (oversight officers and supervisors).
Case work (open, note, evidence, propose an action) needs ``oversight:write``;
assigning, setting deadlines and closing is open to supervisors too; deciding
an action needs ``oversight:decide``. A record of an office outside the
actor's scope answers NotFound, like a missing one. ``actor=None`` is the
system (the scheduled job, payments' handlers, the demo).
"""

from __future__ import annotations

from typing import Any

from simi.accounts.scoping import visible_office_ids
from simi.core.errors import NotAuthenticated, NotFound, PermissionDenied
from simi.oversight.access import can_read as oversight_can_read


def can_read(actor: Any) -> bool:
    return oversight_can_read(actor)


def can_work(actor: Any) -> bool:
    return can_read(actor) and actor.can("oversight:write")


def can_decide(actor: Any) -> bool:
    return can_read(actor) and actor.can("oversight:decide")


def can_manage(actor: Any) -> bool:
    return can_work(actor) or can_decide(actor)


def _require(actor: Any, allowed: bool, code: str) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not allowed:
        raise PermissionDenied(code=code)


def require_read(actor: Any) -> None:
    _require(actor, can_read(actor), "oversight_only")


def require_work(actor: Any) -> None:
    _require(actor, can_work(actor), "oversight_write_only")


def require_manage(actor: Any) -> None:
    _require(actor, can_manage(actor), "oversight_write_only")


def require_decide(actor: Any) -> None:
    _require(actor, can_decide(actor), "oversight_decide_only")


def in_scope(actor: Any, office_id: int) -> None:
    """NotFound when ``office_id`` is outside what the actor sees (None: the system)."""
    if actor is None:
        return
    visible = visible_office_ids(actor)
    if visible is not None and office_id not in visible:
        raise NotFound()
