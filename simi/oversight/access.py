"""Who may do what in oversight, in one place for every sub-package.

Staff read the register with ``oversight:read`` and write it with
``oversight:write``; devices are managed by officers and supervisors
(``oversight:decide``); lodging partners report guests (``lodging:report``).
Writes stay inside the offices the actor sees: a record of another office
answers NotFound, like a missing one.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.accounts.models import User
from simi.accounts.roles import Role
from simi.accounts.scoping import visible_office_ids
from simi.core.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from simi.core.models import Office
from simi.oversight.codes import Code

# --- Staff -------------------------------------------------------------------


def can_read(actor: Actor) -> bool:
    """Staff whose role reads the register (oversight officers, supervisors)."""
    return actor.is_authenticated and actor.is_office_staff and actor.can("oversight:read")


def can_write(actor: Actor) -> bool:
    return actor.is_authenticated and can_read(actor) and actor.can("oversight:write")


def require_read(actor: Actor) -> User:
    """The signed-in reader, or NotAuthenticated / PermissionDenied."""
    if not actor.is_authenticated:
        raise NotAuthenticated()
    if not can_read(actor):
        raise PermissionDenied(code=Code.OVERSIGHT_ONLY)
    return actor


def require_write(actor: Actor) -> User:
    user = require_read(actor)
    if not can_write(user):
        raise PermissionDenied(code=Code.OVERSIGHT_WRITE_ONLY)
    return user


def can_manage_devices(actor: Actor) -> bool:
    """Oversight officers (oversight:write) and supervisors (oversight:decide)."""
    return (
        actor.is_authenticated
        and can_read(actor)
        and (actor.can("oversight:write") or actor.can("oversight:decide"))
    )


def require_manage_devices(actor: Actor) -> User:
    user = require_read(actor)
    if not can_manage_devices(user):
        raise PermissionDenied(code=Code.DEVICE_MANAGERS_ONLY)
    return user


# --- Offices -----------------------------------------------------------------


def office_in_scope(actor: User, office: Office | None) -> Office:
    """The office a new record of ``actor`` belongs to: the one named, else
    the actor's own; PermissionDenied outside the offices the actor sees."""
    chosen = office or actor.office
    visible = visible_office_ids(actor)
    if chosen is None or (visible is not None and chosen.pk not in visible):
        raise PermissionDenied(code=Code.OFFICE_OUT_OF_SCOPE)
    return chosen


def office_for_write(actor: Actor | None, office: Office | None) -> Office:
    """The office a new register record belongs to: the actor's own unless a
    system caller (actor None: demo, issuance) names one; staff stay in their scope."""
    if actor is None:
        if office is None:
            raise ValidationFailed.for_field("office", _("Choose an office."), code=Code.OFFICE)
        return office
    return office_in_scope(require_write(actor), office)


def require_write_in(actor: Actor | None, office_id: int) -> None:
    """A write on a record of ``office_id``: NotFound outside the actor's
    offices; system callers (actor None) pass."""
    if actor is None:
        return
    visible = visible_office_ids(require_write(actor))
    if visible is not None and office_id not in visible:
        raise NotFound()


# --- Lodging partners ----------------------------------------------------------


def can_report(actor: Actor) -> bool:
    """Partner accounts with the lodging:report capability."""
    return actor.is_authenticated and actor.role == Role.PARTNER and actor.can("lodging:report")


def require_reporter(actor: Actor) -> User:
    if not actor.is_authenticated:
        raise NotAuthenticated()
    if not can_report(actor):
        raise PermissionDenied(_("Only lodging partners report guests."), code=Code.PARTNERS_ONLY)
    return actor
