"""How applications answers the hooks of the domains below it; each handler is
named in ``settings.SIMI_HOOKS`` (simi/core/hooks.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.accounts.models import User
from simi.applications.access import may_work
from simi.applications.models import Application, Status
from simi.applications.selectors import applications_for_staff
from simi.applications.services import drafts_discard_for_erasure
from simi.people.models import Person


def submitted_applications_are_kept(*, user: User) -> Promise | None:
    """``privacy.erasure_blockers``: submitted applications are official records
    with their own retention; drafts are not and go with the account."""
    if Application.objects.filter(applicant=user).exclude(status=Status.DRAFT).exists():
        return _(
            "Applications you submitted are official records and are kept for their "
            "retention period; your data can be erased after it ends."
        )
    return None


def discard_drafts(*, actor: Actor, user: User) -> None:
    """``privacy.erasing``: the applicant's drafts (and their uploaded files) go
    before the identity record they point at."""
    drafts_discard_for_erasure(actor=actor, applicant=user)


def discard_drafts_of_lost_identity(*, actor: User, user: User, person: Person) -> None:
    """``accounts.identity_withdrawn``: the number the account applied with was
    confirmed as another person's. Its drafts go; submitted applications stay,
    official records for the office to decide (their record keeps the number,
    unindexed, for the history)."""
    drafts_discard_for_erasure(actor=actor, applicant=user)


def member_has_applications(*, person: Person) -> Promise | None:
    """``accounts.household_member_blockers``: a family member with
    applications stays (drafts included: cancel them first)."""
    if Application.objects.filter(person=person).exists():
        return _(
            "This family member has applications, which are kept as the office's records, "
            "so the family member stays on your account."
        )
    return None


def backoffice_work_card(*, actor: Actor) -> dict[str, Any] | None:
    """``backoffice.home``: the work queue in figures for officers and supervisors."""
    if not may_work(actor):
        return None
    queue = reverse("applications_office:queue")
    counts = [
        (_("Open in my offices"), applications_for_staff(actor=actor).count(), queue),
        (
            _("Past their service-standard date"),
            applications_for_staff(actor=actor, sla="breached").count(),
            f"{queue}?sla=breached",
        ),
        (
            _("Due today or next working day"),
            applications_for_staff(actor=actor, sla="near").count(),
            f"{queue}?sla=near",
        ),
    ]
    return {"title": _("Work queue"), "url": queue, "figures": counts}
