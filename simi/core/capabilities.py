"""The closed set of capability names (API scopes).

Generated from simi/accounts/roles.py (ALL_SCOPES) by `make capabilities`;
do not edit by hand."""

from typing import Literal, get_args

Capability = Literal[
    # Read your own profile
    "profile",
    # Read the staff list of your office
    "staff:read",
    # Look up a person by exact NIK or passport number (audited)
    "people:lookup",
    # Decide whose an identity number is after seeing the documents, at your office
    # (audited)
    "people:resolve",
    # Handle data-subject requests and personal-data incidents
    "privacy:handle",
    # Revoke documents your office issued
    "documents:revoke",
    # Verify and process applications at your office
    "applications:process",
    # Approve or reject applications and issue documents
    "applications:decide",
    # Manage schedules, quotas, check-in and the queue
    "appointments:manage",
    # Import bank statements and reconcile payments
    "payments:reconcile",
    # Read the register of foreigners and oversight cases
    "oversight:read",
    # Record sightings, violations, cases and actions
    "oversight:write",
    # Report foreign guests staying with you (lodging reports)
    "lodging:report",
    # Approve administrative actions in oversight cases
    "oversight:decide",
    # Screen a person against the watchlists (audited)
    "screening:screen",
    # Decide on screening hits and risk reviews
    "screening:review",
    # Manage watchlists, imports, the risk model and the screening switch
    "screening:manage",
    # Read the screening fairness and drift reports
    "screening:report",
]

CAPABILITIES: frozenset[str] = frozenset(get_args(Capability))
