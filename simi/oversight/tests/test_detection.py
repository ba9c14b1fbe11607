from datetime import date, timedelta

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from simi.oversight.models import Movement, PermitReminder, Violation
from simi.oversight.register.detection import (
    lodging_without_permit_detect,
    overstays_detect,
    permit_reminders_create,
)
from simi.oversight.register.permits import permit_cancel
from simi.oversight.register.services import movement_record

from .conftest import make_permit

pytestmark = pytest.mark.django_db

EXPIRY = date(2026, 3, 31)


@pytest.fixture
def permit(oversight, foreigner):
    with freeze_time("2026-03-01"):
        return make_permit(oversight, foreigner, until=EXPIRY)


@pytest.mark.parametrize(
    ("day", "charge", "escalated"),
    [
        (1, 1_000_000, False),
        (30, 30_000_000, False),
        (60, 60_000_000, False),
        (61, 61_000_000, True),
    ],
)
def test_it_finds_an_overstay_once_with_the_running_charge(permit, day, charge, escalated):
    # given a permit that ended on 31 March
    as_of = EXPIRY + timedelta(days=day)
    # when the job runs twice that day
    first = overstays_detect(as_of=as_of)
    second = overstays_detect(as_of=as_of)
    # then exactly one violation holds the charge of ``day`` days
    assert len(first.created) == 1
    assert second.created == []
    assert second.escalated == []
    violation = Violation.objects.get()
    assert violation.kind == "overstay"
    assert violation.overstay_days == day
    assert violation.charge_total == charge
    assert violation.charge_per_day == 1_000_000
    assert violation.overstay_from == EXPIRY + timedelta(days=1)
    assert (violation.escalation > 0) is escalated
    assert (violation.escalated_at is not None) is escalated


def test_the_charge_runs_on_and_escalates_after_60_days(permit):
    overstays_detect(as_of=EXPIRY + timedelta(days=1))
    overstays_detect(as_of=EXPIRY + timedelta(days=30))
    result = overstays_detect(as_of=EXPIRY + timedelta(days=61))
    violation = Violation.objects.get()
    assert violation.overstay_days == 61
    assert violation.charge_total == 61_000_000
    assert violation.escalation == Violation.Escalation.DEPORTATION
    assert result.escalated == [str(violation.public_id)]
    assert overstays_detect(as_of=EXPIRY + timedelta(days=62)).escalated == []
    assert Violation.objects.count() == 1


def test_no_overstay_on_the_last_day_or_after_a_timely_exit(oversight, foreigner, permit):
    assert overstays_detect(as_of=EXPIRY).found == []
    with freeze_time("2026-04-10"):
        movement_record(
            actor=oversight,
            foreigner=foreigner,
            direction=Movement.Direction.EXIT,
            on=EXPIRY,
            port="CGK",
        )
    assert overstays_detect(as_of=EXPIRY + timedelta(days=10)).found == []


def test_a_late_exit_stops_the_clock(oversight, foreigner, permit):
    with freeze_time("2026-04-10"):
        movement_record(
            actor=oversight,
            foreigner=foreigner,
            direction=Movement.Direction.EXIT,
            on=EXPIRY + timedelta(days=5),
            port="CGK",
        )
    overstays_detect(as_of=EXPIRY + timedelta(days=40))
    violation = Violation.objects.get()
    assert (violation.overstay_days, violation.is_running) == (5, False)
    assert violation.charge_total == 5_000_000


def test_a_newer_permit_without_gap_means_no_overstay(oversight, foreigner, permit):
    with freeze_time("2026-03-20"):
        make_permit(oversight, foreigner, until=EXPIRY + timedelta(days=60), number="ITK-0002")
    assert overstays_detect(as_of=EXPIRY + timedelta(days=10)).found == []


def test_a_cancelled_permit_is_not_an_overstay(oversight, permit):
    permit_cancel(actor=oversight, permit=permit)
    assert overstays_detect(as_of=EXPIRY + timedelta(days=3)).found == []


def test_reminders_come_once_per_threshold(permit):
    permit_reminders_create(as_of=EXPIRY - timedelta(days=30))
    permit_reminders_create(as_of=EXPIRY - timedelta(days=29))
    permit_reminders_create(as_of=EXPIRY - timedelta(days=7))
    permit_reminders_create(as_of=EXPIRY - timedelta(days=1))
    permit_reminders_create(as_of=EXPIRY - timedelta(days=1))
    assert sorted(PermitReminder.objects.values_list("days_before", flat=True)) == [1, 7, 30]


def test_the_command_prints_counts_and_ids_without_personal_data(permit, capsys):
    call_command("detect_overstays", "--date", (EXPIRY + timedelta(days=61)).isoformat())
    out = capsys.readouterr().out
    violation = Violation.objects.get()
    assert "1 found, 1 new violations" in out
    assert str(violation.public_id) in out
    assert "VOLAKI" not in out.upper()
    call_command("detect_overstays", "--date", (EXPIRY + timedelta(days=61)).isoformat())
    assert "1 found, 0 new violations" in capsys.readouterr().out


def test_a_lodging_report_without_a_valid_permit_is_a_violation_once(
    partner, place, foreigner, oversight
):
    from simi.oversight.lodging.services import GuestData, lodging_report_submit

    with freeze_time("2026-05-02 12:00:00+07:00"):
        lodging_report_submit(
            actor=partner,
            place=place,
            data=GuestData("Tesanu Volaki", "AUS", "X12345678", "2026-05-01 14:00"),
            source="web",
        )
    first = lodging_without_permit_detect(as_of=date(2026, 5, 2))
    second = lodging_without_permit_detect(as_of=date(2026, 5, 2))
    assert len(first.created) == 1
    assert second.created == []
    violation = Violation.objects.get()
    assert violation.kind == "lodging_without_permit"
    assert violation.foreigner == foreigner


def test_the_violations_page_shows_the_overstay_and_its_charge(permit, oversight, client_for):
    overstays_detect(as_of=EXPIRY + timedelta(days=61))
    page = client_for(oversight).get("/kantor/pengawasan/pelanggaran/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert page.status_code == 200
    assert "TESANU VOLAKI" in body
    assert "61,000,000" in body or "61.000.000" in body
    assert "deportation" in body


def test_the_foreigners_own_account_hears_of_each_reminder_once(permit, applicant):
    from simi.notifications.models import Notification

    person = permit.foreigner.person
    applicant.person = person
    applicant.save(update_fields=["person"])
    permit_reminders_create(as_of=EXPIRY - timedelta(days=7))
    permit_reminders_create(as_of=EXPIRY - timedelta(days=7))
    sent = Notification.objects.filter(recipient=applicant, event="permit_expiring")
    assert sent.count() == 1  # e-mail only: no phone on the identity record
    assert sent.get().params == {
        "permit_kind": "itk",
        "valid_until": EXPIRY.isoformat(),
        "days_before": 7,
    }
    assert PermitReminder.objects.get().notified_at is not None
