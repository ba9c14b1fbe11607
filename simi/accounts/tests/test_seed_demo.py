import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from simi.accounts.models import HouseholdMember, User
from simi.accounts.roles import Role
from simi.applications.models import Application, Status
from simi.audit.models import AuditEntry
from simi.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "catalogue")]


def test_seed_demo_is_deterministic_labelled_and_idempotent():
    call_command("seed_demo", verbosity=0)
    first = sorted(User.objects.values_list("email", "full_name", "role"))
    call_command("seed_demo", verbosity=0)
    assert sorted(User.objects.values_list("email", "full_name", "role")) == first
    assert User.objects.filter(is_demo=False).count() == 0
    assert all(email.endswith("@demo.simi.invalid") for email, _n, _r in first)
    assert {role for _e, _n, role in first} == set(Role.values)
    # generated applicants carry synthetic, well-formed, encrypted identities
    people = Person.objects.filter(is_demo=True)
    assert people.filter(kind="citizen").count() >= 10
    assert people.filter(kind="foreigner").count() >= 5
    assert all(p.nik.startswith("1804") for p in people.filter(kind="citizen"))
    # and the portal and the back office are not empty: applications in every state
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert Application.objects.count() == 26  # one each, an ITAS and its extension; no more
    # and one ITAS extension issued: the register holds the new permit continuing the old one
    extension = Application.objects.get(service_type__kind="limited-stay-extension")
    assert extension.status == Status.ISSUED
    assert extension.extends_permit is not None
    assert extension.extends_permit.status == "extended"
    # the demo applicant has a synthetic household: a spouse and two children
    pemohon = User.objects.get(email="pemohon@demo.simi.invalid")
    household = HouseholdMember.objects.filter(account=pemohon).select_related("person")
    assert [m.relationship for m in household] == ["spouse", "child", "child"]
    assert all("(sintetis)" in m.person.full_name and m.person.is_demo for m in household)
    assert HouseholdMember.objects.count() == 3  # a second run added none
    # the accounts were made once, and the audit log says so
    assert AuditEntry.objects.filter(action="accounts.demo_seeded").count() == 1


@override_settings(PRODUCTION=True)
def test_seed_demo_refuses_production():
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", verbosity=0)
