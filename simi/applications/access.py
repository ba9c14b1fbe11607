"""Who may act on an application: the applicant on their own, staff within
their offices.

The services, the workflow, documents, selectors, pages and the API all ask
these questions; they are answered here once, so that a rule (an inactive
account may do nothing, a service point's records are its office's too) cannot
differ between two doors.
"""

from __future__ import annotations

from enum import Enum
from typing import TypeAlias

from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor, signed_in
from simi.accounts.models import User
from simi.accounts.roles import Role
from simi.accounts.scoping import visible_office_ids
from simi.applications.codes import Code
from simi.applications.models import Application
from simi.core.capabilities import Capability
from simi.core.errors import PermissionDenied

PROCESS: Capability = "applications:process"
DECIDE: Capability = "applications:decide"


class _LookUp(Enum):
    OFFICES = "look the actor's offices up"


# The default of ``visible``: callers listing many look the offices up once
# and pass them in instead.
LOOK_UP_OFFICES = _LookUp.OFFICES
# The offices an actor sees (None: every office), or LOOK_UP_OFFICES.
Visible: TypeAlias = set[int] | _LookUp | None


def can_apply(actor: Actor) -> bool:
    return actor.is_authenticated and actor.role == Role.APPLICANT


def require_applicant(actor: Actor) -> User:
    """The signed-in, active applicant, or NotAuthenticated / PermissionDenied."""
    user = signed_in(actor)
    if not can_apply(user) or not user.is_active:
        raise PermissionDenied(_("Only applicants can apply."), code=Code.APPLICANTS_ONLY)
    return user


def is_owner(actor: Actor, application: Application) -> bool:
    """The signed-in applicant whose application it is."""
    return (
        actor.is_authenticated
        and actor.role == Role.APPLICANT
        and application.applicant_id == actor.pk
    )


def may_work(actor: Actor) -> bool:
    """Staff who process or decide applications (in their offices)."""
    return actor.is_authenticated and actor.is_active and (actor.can(PROCESS) or actor.can(DECIDE))


def may_process(actor: Actor) -> bool:
    return actor.is_authenticated and actor.can(PROCESS)


def in_office_scope(
    actor: Actor, application: Application, visible: Visible = LOOK_UP_OFFICES
) -> bool:
    """Whether ``application`` belongs to one of the active ``actor``'s offices.

    ``visible``: the actor's ``visible_office_ids`` when the caller already has
    them (a page of the queue), so a list does not query once per row.
    """
    if not actor.is_authenticated or not actor.is_active:
        return False
    offices = visible_office_ids(actor) if visible is LOOK_UP_OFFICES else visible
    return offices is None or application.office_id in offices
