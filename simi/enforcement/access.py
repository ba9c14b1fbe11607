"""Who may do what in cases, and the office scope.

Reading needs ``oversight:read`` (oversight officers and supervisors).
Case work (open, note, evidence, propose an action) needs ``oversight:write``;
assigning, setting deadlines and closing is open to supervisors too; deciding
an action needs ``oversight:decide``. A record of an office outside the
actor's scope answers NotFound, like a missing one. ``actor=None`` is the
system (the scheduled job, payments' handlers, the demo).
"""

from __future__ import annotations

from simi.accounts.actors import Actor
from simi.accounts.models import User
from simi.accounts.scoping import visible_office_ids
from simi.core.codes import ErrorCode
from simi.core.errors import NotAuthenticated, NotFound, PermissionDenied
from simi.enforcement.codes import Code
from simi.oversight import codes as oversight_codes
from simi.oversight.access import can_read as oversight_can_read


def can_read(actor: Actor) -> bool:
    return oversight_can_read(actor)


def can_work(actor: Actor) -> bool:
    return actor.is_authenticated and can_read(actor) and actor.can("oversight:write")


def can_decide(actor: Actor) -> bool:
    return actor.is_authenticated and can_read(actor) and actor.can("oversight:decide")


def can_manage(actor: Actor) -> bool:
    return can_work(actor) or can_decide(actor)


def _require(actor: Actor, allowed: bool, code: ErrorCode) -> User:
    if not actor.is_authenticated:
        raise NotAuthenticated()
    if not allowed:
        raise PermissionDenied(code=code)
    return actor


def require_read(actor: Actor) -> User:
    return _require(actor, can_read(actor), oversight_codes.Code.OVERSIGHT_ONLY)


def require_work(actor: Actor) -> User:
    return _require(actor, can_work(actor), oversight_codes.Code.OVERSIGHT_WRITE_ONLY)


def require_manage(actor: Actor) -> User:
    return _require(actor, can_manage(actor), oversight_codes.Code.OVERSIGHT_WRITE_ONLY)


def require_decide(actor: Actor) -> User:
    return _require(actor, can_decide(actor), Code.OVERSIGHT_DECIDE_ONLY)


def in_scope(actor: Actor | None, office_id: int) -> None:
    """NotFound when ``office_id`` is outside what the actor sees (None: the system)."""
    if actor is None:
        return
    visible = visible_office_ids(actor) if actor.is_authenticated else set()
    if visible is not None and office_id not in visible:
        raise NotFound()
