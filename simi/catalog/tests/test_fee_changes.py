"""Fee changes: an effective date, history kept, administrators only, audited."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from simi.audit.models import AuditEntry
from simi.catalog.models import Fee
from simi.catalog.selectors import fee_in_force
from simi.catalog.services import fee_schedule_change
from simi.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

BASIS = "PP 99/2027 (test regulation)"


@pytest.fixture
def change(admin_user):
    def make(service_type, amount, valid_from, **extra):
        return fee_schedule_change(
            actor=extra.pop("actor", admin_user),
            service_type=service_type,
            amount=amount,
            valid_from=valid_from,
            legal_basis=extra.pop("legal_basis", BASIS),
            source=extra.pop("source", "Test gazette"),
            **extra,
        )

    return make


def test_it_schedules_a_future_fee_and_leaves_today_and_the_past_alone(
    service, change, today, days
):
    # given the 5-year passport at Rp350.000
    passport = service("passport-ordinary-5y")
    # when an admin sets Rp400.000 from 30 days on
    new = change(passport, 400_000, days(30))
    # then today's fee and the PP 45/2024 start are unchanged
    assert fee_in_force(passport, on=today).total == 350_000
    assert fee_in_force(passport, on=date(2024, 12, 18)).total == 350_000
    assert fee_in_force(passport, on=days(29)).total == 350_000
    # and the new fee applies from its first day on, open-ended
    assert fee_in_force(passport, on=days(30)).total == 400_000
    assert fee_in_force(passport, on=days(3000)).fees == [new]
    assert new.valid_to is None
    # and the old period ends the day before
    old = Fee.objects.get(service_type=passport, valid_from=date(2024, 12, 18))
    assert old.valid_to == days(29)
    assert old.amount == 350_000


def test_the_fee_for_an_earlier_day_is_unchanged_after_a_change(service, change, today, days):
    # given the amount a bill issued today would store
    itk = service("itk-30d")
    billed_today = fee_in_force(itk, on=today).total
    # when the fee changes from tomorrow
    change(itk, 750_000, days(1))
    # then looking up the bill's day still answers the stored amount
    assert fee_in_force(itk, on=today).total == billed_today == 500_000
    assert fee_in_force(itk, on=days(1)).total == 750_000


def test_it_refuses_an_overlapping_period_with_a_field_message(service, change, days):
    # given a change already scheduled 30 days from now
    passport = service("passport-electronic-5y")
    change(passport, 700_000, days(30))
    # when another change is scheduled before it (it would run into it)
    with pytest.raises(ValidationFailed) as refused:
        change(passport, 680_000, days(10))
    # then it is refused on valid_from and nothing changed
    assert refused.value.code == "period_overlap"
    assert list(refused.value.fields) == ["valid_from"]
    with translation.override("en"):
        assert "Tumpang tindih dengan periode" in str(refused.value.fields["valid_from"][0])
    assert Fee.objects.filter(service_type=passport).count() == 2


def test_it_refuses_a_second_period_starting_on_the_same_day(service, change, days):
    passport = service("passport-electronic-5y")
    change(passport, 700_000, days(30))
    with pytest.raises(ValidationFailed) as refused:
        change(passport, 710_000, days(30))
    assert "valid_from" in refused.value.fields


def test_a_past_start_needs_a_reason(service, change, days):
    # given the SPLP fee
    splp = service("splp-citizen")
    # when an admin back-dates a change without saying why
    with pytest.raises(ValidationFailed) as refused:
        change(splp, 120_000, days(-10))
    # then it is refused on the reason
    assert list(refused.value.fields) == ["reason"]
    # and with a reason it goes through, the earlier period closing the day before
    fee = change(splp, 120_000, days(-10), reason="Gazette published late; applies from the 1st")
    assert fee_in_force(splp, on=days(-10)).total == 120_000
    assert fee_in_force(splp, on=days(-11)).total == 100_000
    assert fee.change_reason.startswith("Gazette")


def test_a_new_component_starts_alongside_the_existing_fee(service, change, today, days):
    # given the same-day surcharge
    same_day = service("passport-same-day")
    # when a separate "sms" component is added from tomorrow
    change(same_day, 5_000, days(1), component="sms", label_en="SMS notice")
    # then both count from tomorrow, only the main fee today
    assert fee_in_force(same_day, on=today).total == 1_000_000
    assert fee_in_force(same_day, on=days(1)).total == 1_005_000
    assert fee_in_force(same_day, on=days(1), component="sms").total == 5_000
    assert fee_in_force(same_day, on=days(1), component="").total == 1_000_000


@pytest.mark.parametrize(
    ("amount", "field"),
    [(-1, "amount"), (10**16, "amount"), (1.5, "amount"), (True, "amount")],
)
def test_it_refuses_amounts_that_are_not_whole_non_negative_rupiah(
    service, change, days, amount, field
):
    with pytest.raises(ValidationFailed) as refused:
        change(service("itk-7d"), amount, days(5))
    assert field in refused.value.fields


def test_it_requires_a_legal_basis_and_a_clean_component(service, change, days):
    with pytest.raises(ValidationFailed) as refused:
        change(service("itk-7d"), 1, days(5), legal_basis="  ", component="Book Fee")
    assert set(refused.value.fields) == {"legal_basis", "component"}


@pytest.mark.parametrize(
    "persona",
    ["applicant", "partner", "officer", "supervisor", "oversight", "analyst", "auditor"],
)
def test_only_admins_change_fees(request, service, change, days, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        change(service("itk-7d"), 1, days(5), actor=actor)
    with pytest.raises(PermissionDenied):
        change(service("itk-7d"), 1, days(5), actor=AnonymousUser())
    assert Fee.objects.filter(service_type__code="itk-7d").count() == 1


def test_it_audits_the_change_with_codes_only(service, change, admin_user, days):
    # when an admin schedules a change
    fee = change(service("re-entry-1y"), 1_600_000, days(14))
    # then the audit log holds the service code, amount and dates
    entry = AuditEntry.objects.filter(action="catalog.fee_scheduled").latest("leaf_index")
    assert entry.actor == admin_user
    assert entry.object_id == str(fee.pk)
    assert entry.data["service"] == "re-entry-1y"
    assert entry.data["amount"] == 1_600_000
    assert entry.data["valid_from"] == days(14).isoformat()
    assert entry.data["closed_valid_to"] == days(13).isoformat()
    assert entry.data["retroactive"] is False


def test_the_database_refuses_negative_amounts_and_twin_periods(service):
    itk = service("itk-7d")
    with pytest.raises(IntegrityError), transaction.atomic():
        Fee.objects.create(
            service_type=itk, amount=-5, valid_from=date(2030, 1, 1), legal_basis=BASIS
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Fee.objects.create(
            service_type=itk, amount=5, valid_from=date(2024, 12, 18), legal_basis=BASIS
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraint")
def test_postgresql_refuses_overlapping_periods_written_around_the_service(service):
    # given the open-ended PP 45/2024 period, a row slipped in past the service
    with pytest.raises(IntegrityError), transaction.atomic():
        Fee.objects.create(
            service_type=service("itk-7d"),
            amount=5,
            valid_from=date(2030, 1, 1),
            legal_basis=BASIS,
        )
