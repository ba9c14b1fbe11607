"""Reads of cases and actions, already scoped: staff with ``oversight:read``
see their office and its service points; anything else answers empty, and
one record outside the scope NotFound. Also the aggregates of the dashboard
(over the oversight selectors and models: reads only) and the entry-ban
listing the screening domain reads.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from simi.accounts.actors import Actor
from simi.accounts.models import User
from simi.accounts.roles import POLICIES
from simi.accounts.scoping import scope_by_office
from simi.audit.services import audit_record
from simi.core.errors import NotFound
from simi.enforcement import access
from simi.enforcement.codes import Action
from simi.enforcement.models import (
    ActionStatus,
    ActionType,
    AdministrativeAction,
    Case,
    CaseEvent,
    CaseNote,
    CaseStatus,
    EntryBan,
    Evidence,
)
from simi.oversight.models import Violation, ViolationStatus


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    assigned_to_me: bool = False


def cases_visible(*, actor: Actor) -> QuerySet[Case]:
    if not actor.is_authenticated or not access.can_read(actor):
        return Case.objects.none()
    return scope_by_office(Case.objects.all(), actor)


def case_list(*, actor: Actor, filters: CaseFilters | None = None) -> QuerySet[Case]:
    filters = filters or CaseFilters()
    found = (
        cases_visible(actor=actor)
        .select_related("office", "assignee", "subject", "subject__person", "subject__kecamatan")
        .annotate(
            violation_count=Count("violation_links", distinct=True),
            pending_actions=Count(
                "actions", filter=Q(actions__status=ActionStatus.PROPOSED), distinct=True
            ),
        )
    )
    if filters.status in CaseStatus.values:
        found = found.filter(status=filters.status)
    if filters.assigned_to_me:
        found = found.filter(assignee_id=actor.pk)
    return found.order_by("due_date", "-opened_at", "-id")


def case_get(*, actor: Actor, public_id: uuid.UUID) -> Case:
    found = (
        cases_visible(actor=actor)
        .select_related("office", "assignee", "subject", "subject__person", "subject__kecamatan")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def case_open(*, actor: Actor, public_id: uuid.UUID) -> Case:
    """One case for the full page or API answer (personal data): audited."""
    case = case_get(actor=actor, public_id=public_id)
    audit_record(
        actor=actor,
        action=Action.CASE_VIEWED,
        target=case,
        data={"office": case.office.code},
        purpose="oversight",
    )
    return case


@dataclass(frozen=True)
class CaseFile:
    case: Case
    violations: list[Violation]
    actions: list[AdministrativeAction]
    notes: list[CaseNote]
    evidence: list[Evidence]
    events: list[CaseEvent]


def case_file(case: Case) -> CaseFile:
    return CaseFile(
        case=case,
        violations=list(
            Violation.objects.filter(case_link__case=case)
            .select_related("permit")
            .order_by("detected_on", "id")
        ),
        actions=list(
            case.actions.select_related(
                "action_type", "proposed_by", "decided_by", "bill", "permit"
            )
        ),
        notes=list(case.notes.select_related("author")),
        evidence=list(case.evidence.select_related("uploaded_by")),
        events=list(case.events.select_related("actor")),
    )


def action_get(*, actor: Actor, public_id: uuid.UUID) -> AdministrativeAction:
    found = (
        AdministrativeAction.objects.filter(
            public_id=public_id, case__in=cases_visible(actor=actor)
        )
        .select_related("case", "case__office", "action_type")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def action_types() -> QuerySet[ActionType]:
    return ActionType.objects.filter(is_active=True)


def assignable_officers(case: Case) -> QuerySet[User]:
    """Active oversight officers who see the case's office (its own staff and
    the staff of its parent office)."""
    roles = [role for role, policy in POLICIES.items() if "oversight:write" in policy.api_scopes]
    offices = [case.office_id]
    if case.office.parent_id is not None:
        offices.append(case.office.parent_id)
    # Names are encrypted: the database orders by address; the form sorts by name.
    return User.objects.filter(is_active=True, role__in=roles, office_id__in=offices).order_by(
        "email"
    )


def violations_without_case() -> QuerySet[Violation]:
    """Open violations (oversight's status) not yet in a case: the job's work."""
    return Violation.objects.filter(
        status=ViolationStatus.OPEN, case_link__isnull=True
    ).select_related("foreigner", "office")


def entry_bans_active(*, as_of: date | None = None) -> QuerySet[EntryBan]:
    """Entry bans in force on ``as_of`` (default today), for screening.

    Every office's: an entry ban is national, whoever listed it. The
    foreigner's identity (encrypted) is on ``foreigner.person``.
    """
    today = as_of or timezone.localdate()
    return (
        EntryBan.objects.filter(
            lifted_at__isnull=True,
            action__status=ActionStatus.APPROVED,
            effective_from__lte=today,
        )
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=today))
        .select_related("foreigner", "foreigner__person", "office")
    )
