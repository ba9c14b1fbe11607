"""Issuing bills, fee history, expiry (cancel or reissue) and reminders."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from freezegun import freeze_time

from simi.applications.billing import application_bill_issue
from simi.applications.models import Application
from simi.applications.models import Status as ApplicationStatus
from simi.audit.models import AuditEntry
from simi.catalog.models import BillingRule
from simi.catalog.selectors import billing_rule_for
from simi.catalog.services import fee_schedule_change
from simi.core.errors import Conflict
from simi.notifications.models import Notification
from simi.payments import billingcodes
from simi.payments.models import Bill
from simi.payments.services import bills_expire_due, bills_remind_expiring
from simi.payments.tests.conftest import to_awaiting_payment

pytestmark = pytest.mark.django_db


def reissue_on_expiry(service_type, minutes=10080):
    BillingRule.objects.filter(service_type=service_type).update(
        on_expiry=BillingRule.OnExpiry.REISSUE, expiry_minutes=minutes
    )


def test_a_bill_takes_the_fee_and_the_expiry_of_the_catalogue(bill, awaiting, ani):
    # then the 5-year passport costs Rp350.000, payable for 2 hours
    assert bill.amount == 350_000 == awaiting.fee_total_at_submit
    assert bill.expires_at - bill.issued_at == timedelta(hours=2)
    assert bill.status == Bill.Status.UNPAID
    assert (bill.payer, bill.office) == (ani, awaiting.office)
    assert (bill.purpose, bill.reference) == ("application", str(awaiting.public_id))
    assert billingcodes.is_valid(bill.billing_code)
    # and its lines are a snapshot with labels and legal basis
    assert sum(line["amount"] for line in bill.lines) == 350_000
    assert all(
        set(line)
        == {"component", "label_id", "label_en", "amount", "legal_basis", "legal_basis_en"}
        for line in bill.lines
    )
    assert all(line["legal_basis"] for line in bill.lines)
    # and it is audited, and the payer is told
    assert AuditEntry.objects.filter(action="payments.bill_issued").count() == 1
    assert Notification.objects.filter(key=f"bill_issued:{bill.public_id}").exists()


def test_issuing_twice_gives_the_same_bill(bill, awaiting, officer):
    again = application_bill_issue(actor=officer, application=awaiting)
    assert again.pk == bill.pk
    assert Bill.objects.count() == 1


def test_the_database_refuses_a_second_unpaid_bill(bill):
    with pytest.raises(IntegrityError), transaction.atomic():
        Bill.objects.create(
            billing_code=billingcodes.generate(),
            purpose=bill.purpose,
            reference=bill.reference,
            office=bill.office,
            amount=1,
            issued_at=bill.issued_at,
            expires_at=bill.expires_at,
        )


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "paid"},  # paid without a time
        {"status": "expired"},  # closed without a time
        {"paid_at": "now"},  # unpaid with a payment time
        {"amount": 0},
    ],
)
def test_the_database_ties_status_to_its_timestamps(bill, changes):
    values = {k: (timezone.now() if v == "now" else v) for k, v in changes.items()}
    with pytest.raises(IntegrityError), transaction.atomic():
        Bill.objects.filter(pk=bill.pk).update(**values)


def test_a_draft_cannot_be_billed(draft, officer):
    with pytest.raises(Conflict) as caught:
        application_bill_issue(actor=officer, application=draft)
    assert caught.value.code == "not_submitted"


def test_a_paid_application_is_not_billed_again(bill, awaiting, officer, channel):
    from django.core.management import call_command

    call_command("simulate_payment", bill.billing_code)
    with pytest.raises(Conflict) as caught:
        application_bill_issue(actor=officer, application=awaiting)
    assert caught.value.code == "already_paid"


def test_a_fee_change_never_alters_an_issued_or_reissued_bill(bill, awaiting, admin_user, handlers):
    # given the passport's bills are reissued on expiry
    reissue_on_expiry(awaiting.service_type, minutes=120)
    today = timezone.localdate()
    # when an admin raises the fee, even retroactively from the submission day
    fee_schedule_change(
        actor=admin_user,
        service_type=awaiting.service_type,
        amount=900_000,
        valid_from=today,
        legal_basis="PP 99/2027 (test regulation)",
        reason="Koreksi uji",
    )
    # then the issued bill keeps its amount and lines
    bill.refresh_from_db()
    assert bill.amount == 350_000
    assert sum(line["amount"] for line in bill.lines) == 350_000
    # and when it expires, its replacement keeps them too (never today's fee)
    run = bills_expire_due(now=bill.expires_at + timedelta(seconds=1))
    assert run.reissued == 1
    new = Bill.objects.get(replaces=bill)
    assert new.amount == 350_000
    assert new.lines == bill.lines
    assert new.billing_code != bill.billing_code
    assert new.status == Bill.Status.UNPAID
    # and a brand-new bill for that day would not silently use the new figure
    Bill.objects.filter(pk=new.pk).update(status="cancelled", closed_at=timezone.now())
    with pytest.raises(Conflict) as caught:
        application_bill_issue(actor=None, application=awaiting)
    assert caught.value.code == "fee_mismatch"


def test_the_fee_of_the_submission_day_is_used_not_todays(ani, awaiting, admin_user, officer):
    # given a fee rise scheduled from tomorrow
    tomorrow = timezone.localdate() + timedelta(days=1)
    fee_schedule_change(
        actor=admin_user,
        service_type=awaiting.service_type,
        amount=500_000,
        valid_from=tomorrow,
        legal_basis="PP 99/2027 (test regulation)",
    )
    # when the bill is issued after the rise took effect
    with freeze_time(timezone.now() + timedelta(days=2)):
        bill = application_bill_issue(actor=officer, application=awaiting)
    # then it uses the fee in force on the submission day
    assert bill.amount == 350_000


@freeze_time("2026-03-02 01:00:00")
def test_an_expired_bill_is_cancelled_per_rule_and_a_second_run_changes_nothing(
    awaiting, officer, handlers
):
    # given a 2-hour passport bill (rule: cancel)
    bill = application_bill_issue(actor=officer, application=awaiting)
    assert billing_rule_for(awaiting.service_type).on_expiry == "cancel"
    # when the job runs before the expiry, nothing happens
    with freeze_time("2026-03-02 02:59:00"):
        assert bills_expire_due().expired == 0
    # when it runs after the expiry
    with freeze_time("2026-03-02 03:00:01"):
        run = bills_expire_due()
        again = bills_expire_due()
    # then the bill expired, the application's domain was told once
    bill.refresh_from_db()
    assert bill.status == Bill.Status.EXPIRED
    assert bill.closed_at is not None
    assert (run.expired, run.handed_over, run.reissued) == (1, 1, 0)
    assert handlers == [("expired", bill.billing_code)]
    # and the second run changed nothing
    assert (again.expired, again.handed_over) == (0, 0)
    assert Bill.objects.count() == 1


@freeze_time("2026-03-02 01:00:00")
def test_an_expired_bill_is_reissued_per_rule(awaiting, officer, handlers):
    # given a service whose bills are reissued after 7 days
    reissue_on_expiry(awaiting.service_type)
    bill = application_bill_issue(actor=officer, application=awaiting)
    # when the job runs after the expiry, twice
    with freeze_time("2026-03-09 01:05:00"):
        first = bills_expire_due()
        second = bills_expire_due()
        now = timezone.now()
    # then one new bill replaces it with a new code, the same amount and a new expiry
    assert (first.reissued, second.expired) == (1, 0)
    new = Bill.objects.get(replaces=bill)
    assert new.billing_code != bill.billing_code
    assert (new.amount, new.lines) == (bill.amount, bill.lines)
    assert new.issued_at == now
    assert new.expires_at == now + timedelta(days=7)
    assert handlers == []
    # and the payer is told the new code
    assert Notification.objects.filter(key=f"bill_issued:{new.public_id}").exists()
    assert AuditEntry.objects.filter(action="payments.bill_reissued").count() == 1


def test_a_bill_of_a_cancelled_application_just_expires(bill, awaiting, handlers):
    reissue_on_expiry(awaiting.service_type)
    Application.objects.filter(pk=awaiting.pk).update(
        status=ApplicationStatus.CANCELLED, cancelled_at=timezone.now()
    )
    run = bills_expire_due(now=bill.expires_at + timedelta(minutes=1))
    assert (run.expired, run.reissued, run.handed_over) == (1, 0, 0)
    assert Bill.objects.count() == 1


@freeze_time("2026-03-02 01:00:00")
def test_a_2_hour_bill_is_reminded_once_30_minutes_before_expiry(awaiting, officer):
    bill = application_bill_issue(actor=officer, application=awaiting)
    key = f"bill_expiring:{bill.public_id}"
    with freeze_time("2026-03-02 02:29:00"):
        assert bills_remind_expiring() == 0
    with freeze_time("2026-03-02 02:31:00"):
        assert bills_remind_expiring() == 1
        assert bills_remind_expiring() == 0
    assert Notification.objects.filter(key=key).count() >= 1
    assert Notification.objects.filter(key=key, event="bill_expiring").exists()


@freeze_time("2026-03-02 01:00:00")
def test_a_7_day_bill_is_reminded_one_day_before_expiry(awaiting, officer):
    reissue_on_expiry(awaiting.service_type)
    bill = application_bill_issue(actor=officer, application=awaiting)
    with freeze_time("2026-03-08 00:59:00"):
        assert bills_remind_expiring() == 0
    with freeze_time("2026-03-08 01:01:00"):
        assert bills_remind_expiring() == 1
    bill.refresh_from_db()
    assert bill.expiry_reminded_at is not None


def test_a_bill_is_issued_for_each_application_separately(awaiting, budi, officer):
    from simi.applications.services import application_create
    from simi.applications.tests.complete import submit_complete

    other = submit_complete(
        actor=budi,
        application=application_create(
            actor=budi, service_code="passport-ordinary-5y", office_code="ulp-liwa"
        ),
    )
    to_awaiting_payment(other)
    first = application_bill_issue(actor=officer, application=awaiting)
    second = application_bill_issue(actor=officer, application=other)
    assert first.billing_code != second.billing_code
    assert second.payer == budi


def test_billing_codes_catch_every_single_typo_and_neighbour_swap():
    for _ in range(50):
        code = billingcodes.generate()
        assert len(code) == 15
        assert code.isdigit()
        assert code[0] != "0"
        assert billingcodes.is_valid(code)
        for i in range(15):
            for digit in "0123456789":
                if digit != code[i]:
                    assert not billingcodes.is_valid(code[:i] + digit + code[i + 1 :])
        for i in range(14):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
                assert not billingcodes.is_valid(swapped)


def test_billing_codes_are_shown_in_groups_of_five():
    assert billingcodes.display("812345678901234") == "81234 56789 01234"
    code = billingcodes.generate()
    assert billingcodes.normalize(billingcodes.display(code)) == code
    assert billingcodes.normalize(f" {code[:5]}-{code[5:10]}.{code[10:]} ") == code


def test_the_submission_day_is_the_day_in_asia_jakarta(ani, admin_user, officer):
    from simi.applications.services import application_create
    from simi.applications.tests.complete import submit_complete

    # given a fee rise from 2 March 2026 (scheduled in advance)
    with freeze_time("2026-02-01 03:00:00"):
        service = application_create(
            actor=ani, service_code="passport-ordinary-5y", office_code="ulp-liwa"
        ).service_type
        fee_schedule_change(
            actor=admin_user,
            service_type=service,
            amount=500_000,
            valid_from=date(2026, 3, 2),
            legal_basis="PP 99/2027 (test regulation)",
        )
    # when Ani submits at 00:30 WIB on 2 March (still 1 March in UTC)
    with freeze_time("2026-03-01 17:30:00"):
        draft = application_create(
            actor=ani, service_code="passport-ordinary-5y", office_code="ulp-liwa"
        )
        app = to_awaiting_payment(submit_complete(actor=ani, application=draft))
        bill = application_bill_issue(actor=officer, application=app)
    # then the bill uses the fee in force on 2 March in Jakarta
    assert app.fee_total_at_submit == 500_000
    assert bill.amount == 500_000
