"""Service standards: looked up by day, changed with an effective date by admins."""

import pytest

from simi.audit.models import AuditEntry
from simi.catalog.selectors import sla_in_force
from simi.catalog.services import sla_change
from simi.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def test_it_changes_a_standard_from_a_future_day(service, admin_user, today, days):
    # given the passport standard of 4 working days
    passport = service("passport-ordinary-5y")
    # when an admin sets 3 working days from next month
    sla_change(
        actor=admin_user,
        service_type=passport,
        working_days=3,
        valid_from=days(30),
        legal_basis="Permenkumham 99/2027",
        source="Test gazette",
    )
    # then today still answers 4 and the new day 3
    assert sla_in_force(passport, on=today).working_days == 4
    assert sla_in_force(passport, on=days(29)).working_days == 4
    assert sla_in_force(passport, on=days(30)).working_days == 3
    entry = AuditEntry.objects.filter(action="catalog.sla_scheduled").latest("leaf_index")
    assert entry.data["service"] == "passport-ordinary-5y"
    assert entry.data["working_days"] == 3


def test_it_refuses_overlaps_and_bad_values(service, admin_user, days):
    passport = service("passport-ordinary-5y")
    sla_change(
        actor=admin_user,
        service_type=passport,
        working_days=3,
        valid_from=days(30),
        legal_basis="Permenkumham 99/2027",
    )
    with pytest.raises(ValidationFailed) as overlap:
        sla_change(
            actor=admin_user,
            service_type=passport,
            working_days=2,
            valid_from=days(5),
            legal_basis="Permenkumham 99/2027",
        )
    assert "valid_from" in overlap.value.fields
    with pytest.raises(ValidationFailed) as bad:
        sla_change(
            actor=admin_user,
            service_type=passport,
            working_days=-1,
            valid_from=days(60),
            legal_basis="",
        )
    assert set(bad.value.fields) == {"working_days", "legal_basis"}


def test_a_past_start_needs_a_reason(service, admin_user, days):
    with pytest.raises(ValidationFailed) as refused:
        sla_change(
            actor=admin_user,
            service_type=service("itk-30d"),
            working_days=3,
            valid_from=days(-3),
            legal_basis="Office service standard 2026",
        )
    assert list(refused.value.fields) == ["reason"]


@pytest.mark.parametrize("persona", ["officer", "supervisor", "auditor", "applicant"])
def test_only_admins_change_standards(request, service, days, persona):
    with pytest.raises(PermissionDenied):
        sla_change(
            actor=request.getfixturevalue(persona),
            service_type=service("itk-30d"),
            working_days=3,
            valid_from=days(3),
            legal_basis="Office service standard 2026",
        )
