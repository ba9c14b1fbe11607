"""Who may act on an application: the applicant on their own, staff within
their offices.

The services, the workflow, documents, selectors, pages and the API all ask
these questions; they are answered here once, so that a rule (an inactive
account may do nothing, a service point's records are its office's too) cannot
differ between two doors.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from simi.accounts.roles import Role
from simi.accounts.scoping import visible_office_ids
from simi.core.capabilities import Capability
from simi.core.errors import NotAuthenticated, PermissionDenied

PROCESS: Capability = "applications:process"
DECIDE: Capability = "applications:decide"

LOOK_UP_OFFICES = object()  # "look the actor's offices up": callers listing many pass them in


def _signed_in(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def can_apply(actor: Any) -> bool:
    return bool(_signed_in(actor) and actor.role == Role.APPLICANT)


def require_applicant(actor: Any) -> None:
    if not _signed_in(actor):
        raise NotAuthenticated()
    if not can_apply(actor) or not actor.is_active:
        raise PermissionDenied(_("Only applicants can apply."), code="applicants_only")


def is_owner(actor: Any, application: Any) -> bool:
    """The signed-in applicant whose application it is."""
    return bool(
        _signed_in(actor) and actor.role == Role.APPLICANT and application.applicant_id == actor.pk
    )


def may_work(actor: Any) -> bool:
    """Staff who process or decide applications (in their offices)."""
    return bool(_signed_in(actor) and actor.is_active and (actor.can(PROCESS) or actor.can(DECIDE)))


def may_process(actor: Any) -> bool:
    return bool(_signed_in(actor) and actor.can(PROCESS))


def in_office_scope(actor: Any, application: Any, visible: Any = LOOK_UP_OFFICES) -> bool:
    """Whether ``application`` belongs to one of the active ``actor``'s offices.

    ``visible``: the actor's ``visible_office_ids`` when the caller already has
    them (a page of the queue), so a list does not query once per row.
    """
    if not _signed_in(actor) or not actor.is_active:
        return False
    if visible is LOOK_UP_OFFICES:
        visible = visible_office_ids(actor)
    return visible is None or application.office_id in visible
