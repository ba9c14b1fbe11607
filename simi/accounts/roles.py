"""Roles and what each may do. Roles are structure, so they live in code;
which person holds which role (and in which office) is data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.core.capabilities import Capability


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    FRONT_DESK = "front_desk", _("Front-desk officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    OVERSIGHT = "oversight", _("Oversight officer")
    ANALYST = "analyst", _("Analyst")
    PARTNER = "partner", _("Partner agency")
    ADMIN = "admin", _("Administrator")
    AUDITOR = "auditor", _("Auditor")


@dataclass(frozen=True)
class RolePolicy:
    is_staff: bool  # works in the back office for the immigration office
    needs_office: bool  # must be bound to an office
    all_offices: bool  # sees every office's records, not just its own
    django_admin: bool  # may open the Django admin (master data)
    api_scopes: frozenset[Capability]  # what the role may do; a token carries a subset


StrOrPromise = str | Promise


def _scopes(*names: Capability) -> frozenset[Capability]:
    return frozenset(names)


_STAFF_SCOPES = _scopes("profile", "staff:read")
_CASEWORK_SCOPES = _STAFF_SCOPES | _scopes("people:lookup")
_COUNTER_SCOPES = _CASEWORK_SCOPES | _scopes(
    "applications:process", "appointments:manage", "people:resolve"
)
_ADMIN_SCOPES = _STAFF_SCOPES | _scopes(
    "privacy:handle",
    "payments:reconcile",
    "screening:manage",
    "screening:report",
)
_SUPERVISOR_SCOPES = _COUNTER_SCOPES | _scopes(
    "documents:revoke",
    "applications:decide",
    "payments:reconcile",
    "oversight:read",
    "oversight:decide",
    "screening:review",
    "screening:screen",
    "screening:report",
)
_OVERSIGHT_SCOPES = _CASEWORK_SCOPES | _scopes(
    "oversight:read", "oversight:write", "screening:screen"
)

POLICIES: dict[str, RolePolicy] = {
    Role.APPLICANT: RolePolicy(False, False, False, False, _scopes("profile")),
    Role.FRONT_DESK: RolePolicy(True, True, False, False, _COUNTER_SCOPES),
    Role.SUPERVISOR: RolePolicy(True, True, False, False, _SUPERVISOR_SCOPES),
    Role.OVERSIGHT: RolePolicy(True, True, False, False, _OVERSIGHT_SCOPES),
    Role.ANALYST: RolePolicy(True, False, True, False, _scopes("profile", "screening:report")),
    Role.PARTNER: RolePolicy(False, False, False, False, _scopes("profile", "lodging:report")),
    Role.ADMIN: RolePolicy(True, False, True, True, _ADMIN_SCOPES),
    Role.AUDITOR: RolePolicy(True, False, True, False, _STAFF_SCOPES),
}

ALL_SCOPES: dict[Capability, StrOrPromise] = {
    "profile": _("Read your own profile"),
    "staff:read": _("Read the staff list of your office"),
    "people:lookup": _("Look up a person by exact NIK or passport number (audited)"),
    "people:resolve": _(
        "Decide whose an identity number is after seeing the documents, at your office (audited)"
    ),
    "privacy:handle": _("Handle data-subject requests and personal-data incidents"),
    "documents:revoke": _("Revoke documents your office issued"),
    "applications:process": _("Verify and process applications at your office"),
    "applications:decide": _("Approve or reject applications and issue documents"),
    "appointments:manage": _("Manage schedules, quotas, check-in and the queue"),
    "payments:reconcile": _("Import bank statements and reconcile payments"),
    "oversight:read": _("Read the register of foreigners and oversight cases"),
    "oversight:write": _("Record sightings, violations, cases and actions"),
    "lodging:report": _("Report foreign guests staying with you (lodging reports)"),
    "oversight:decide": _("Approve administrative actions in oversight cases"),
    "screening:screen": _("Screen a person against the watchlists (audited)"),
    "screening:review": _("Decide on screening hits and risk reviews"),
    "screening:manage": _("Manage watchlists, imports, the risk model and the screening switch"),
    "screening:report": _("Read the screening fairness and drift reports"),
}

STAFF_ROLES = frozenset(role for role, policy in POLICIES.items() if policy.is_staff)
OFFICE_BOUND_ROLES = frozenset(role for role, policy in POLICIES.items() if policy.needs_office)


def policy_for(role: str) -> RolePolicy:
    return POLICIES[role]
