"""Synthetic demo applications, so a newcomer's portal is never empty.

Only demo applicants (``is_demo``) with a synthetic identity get them; each
gets at most one round, so running ``seed_demo`` again changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from simi.accounts.models import User
from simi.accounts.roles import Role
from simi.applications.models import Application, CancelReason
from simi.applications.services import application_cancel, application_create, application_submit

# (service for citizens, service for foreigners, office, what happens next)
_PLAN = [
    ("passport-ordinary-5y", "itk-30d", "ulp-liwa", "submit"),
    ("passport-electronic-10y", "itk-60d", "kanim-kotabumi", "submit"),
    ("passport-ordinary-10y", "itk-30d", "kanim-kotabumi", "draft"),
    ("passport-electronic-5y", "itk-90d", "ulp-liwa", "cancel"),
]


@transaction.atomic
def applications_demo_seed(*, limit: int = 12) -> int:
    """Give up to ``limit`` demo applicants one application each; returns how many were made."""
    applicants = (
        User.objects.filter(is_demo=True, role=Role.APPLICANT, person__isnull=False)
        .select_related("person")
        .order_by("email")[:limit]
    )
    made = 0
    for position, user in enumerate(applicants):
        person = user.person
        if person is None or Application.objects.filter(applicant=user).exists():
            continue
        citizen_code, foreigner_code, office, outcome = _PLAN[position % len(_PLAN)]
        code = citizen_code if person.kind == "citizen" else foreigner_code
        if person.kind != "citizen":
            office = "kanim-kotabumi"  # stay permits are handled at the office itself
        application = application_create(actor=user, service_code=code, office_code=office)
        if outcome in {"submit", "cancel"}:
            application = application_submit(actor=user, application=application)
        if outcome == "cancel":
            application_cancel(
                actor=user, application=application, reason=CancelReason.NO_LONGER_NEEDED
            )
        made += 1
    return made
