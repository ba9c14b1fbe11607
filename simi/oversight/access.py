"""Who may do what in oversight, in one place for every sub-package.

Staff read the register with ``oversight:read`` and write it with
``oversight:write``; devices are managed by officers and supervisors
(``oversight:decide``); lodging partners report guests (``lodging:report``).
Writes stay inside the offices the actor sees: a record of another office
answers NotFound, like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from simi.accounts.scoping import visible_office_ids
from simi.core.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from simi.core.models import Office

# --- Staff -------------------------------------------------------------------


def can_read(actor: Any) -> bool:
    """Staff whose role reads the register (oversight officers, supervisors)."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_office_staff", False)
        and actor.can("oversight:read")
    )


def can_write(actor: Any) -> bool:
    return can_read(actor) and actor.can("oversight:write")


def require_read(actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not can_read(actor):
        raise PermissionDenied(code="oversight_only")


def require_write(actor: Any) -> None:
    require_read(actor)
    if not can_write(actor):
        raise PermissionDenied(code="oversight_write_only")


def can_manage_devices(actor: Any) -> bool:
    """Oversight officers (oversight:write) and supervisors (oversight:decide)."""
    return can_read(actor) and (actor.can("oversight:write") or actor.can("oversight:decide"))


def require_manage_devices(actor: Any) -> None:
    require_read(actor)
    if not can_manage_devices(actor):
        raise PermissionDenied(code="device_managers_only")


# --- Offices -----------------------------------------------------------------


def office_in_scope(actor: Any, office: Office | None) -> Office:
    """The office a new record of ``actor`` belongs to: the one named, else
    the actor's own; PermissionDenied outside the offices the actor sees."""
    chosen = office or actor.office
    visible = visible_office_ids(actor)
    if chosen is None or (visible is not None and chosen.pk not in visible):
        raise PermissionDenied(code="office_out_of_scope")
    return chosen


def office_for_write(actor: Any, office: Office | None) -> Office:
    """The office a new register record belongs to: the actor's own unless a
    system caller (actor None: demo, issuance) names one; staff stay in their scope."""
    if actor is None:
        if office is None:
            raise ValidationFailed.for_field("office", _("Choose an office."), code="office")
        return office
    require_write(actor)
    return office_in_scope(actor, office)


def require_write_in(actor: Any, office_id: int) -> None:
    """A write on a record of ``office_id``: NotFound outside the actor's
    offices; system callers (actor None) pass."""
    if actor is None:
        return
    require_write(actor)
    visible = visible_office_ids(actor)
    if visible is not None and office_id not in visible:
        raise NotFound()


# --- Lodging partners ----------------------------------------------------------


def can_report(actor: Any) -> bool:
    """Partner accounts with the lodging:report capability."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.role == "partner"
        and actor.can("lodging:report")
    )


def require_reporter(actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not can_report(actor):
        raise PermissionDenied(_("Only lodging partners report guests."), code="partners_only")
