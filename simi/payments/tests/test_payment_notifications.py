"""The bank's payment notification: signed, fresh, idempotent, and it pays
the bill and tells the purpose's domain in the same transaction."""

import json
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from simi.applications.billing import application_bill_cancel
from simi.audit.models import AuditEntry
from simi.core.errors import Conflict
from simi.payments.channels import DEMO_CHANNEL_SECRET, demo_secret, sign
from simi.payments.models import Bill, Payment, PaymentChannel
from simi.payments.payment_notices import payment_notification_receive
from simi.payments.services import bills_expire_due
from simi.payments.tests.conftest import notification, post_signed

pytestmark = pytest.mark.django_db


def error_code(response):
    return response.json()["error"]["code"]


def test_a_signed_notification_pays_the_bill_and_tells_its_domain(bill, channel, handlers):
    # when the demo bank reports the payment
    response = post_signed(Client(), notification(bill))
    # then it is accepted and the bill is paid
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["result"] == "accepted"
    assert body["billing_code"] == bill.billing_code
    assert body["bill_status"] == "paid"
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID
    assert bill.paid_at is not None
    payment = Payment.objects.get()
    assert (payment.channel, payment.channel_reference, payment.amount) == (
        channel,
        "BNI-0001",
        350_000,
    )
    # and the application's domain heard of it exactly once
    assert handlers == [("paid", bill.billing_code)]
    assert AuditEntry.objects.filter(action="payments.bill_paid").count() == 1


def test_a_replay_gets_the_same_answer_and_changes_nothing(bill, channel, handlers):
    # given an accepted notification
    first = post_signed(Client(), notification(bill))
    # when the bank sends it again (a retry after a timeout), even re-serialized
    raw = json.dumps(notification(bill), indent=2, sort_keys=True).encode()
    again = post_signed(Client(), raw)
    # then the answer is the same and there is still one payment
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Payment.objects.count() == 1
    assert handlers == [("paid", bill.billing_code)]
    assert AuditEntry.objects.filter(action="payments.bill_paid").count() == 1


def test_the_same_reference_with_another_body_is_a_conflict(bill, channel):
    post_signed(Client(), notification(bill))
    response = post_signed(Client(), notification(bill, amount=bill.amount + 1))
    assert response.status_code == 409
    assert error_code(response) == "reference_reused"
    assert Payment.objects.count() == 1


def test_a_second_payment_of_a_paid_bill_is_refused(bill, channel):
    post_signed(Client(), notification(bill))
    response = post_signed(Client(), notification(bill, reference="BNI-0002"))
    assert response.status_code == 409
    assert error_code(response) == "bill_already_paid"
    assert Payment.objects.count() == 1


def test_copies_arriving_together_make_one_payment(bill, channel, handlers):
    # SQLite serializes writers, so "together" is a retry right behind the first;
    # the unique (channel, reference) constraint is what decides on PostgreSQL.
    answers = [post_signed(Client(), notification(bill)) for _ in range(3)]
    assert {a.status_code for a in answers} == {200}
    assert len({json.dumps(a.json(), sort_keys=True) for a in answers}) == 1
    assert Payment.objects.count() == 1
    assert len(handlers) == 1


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"signature": "0" * 64}, "signature_invalid"),
        ({"signature": "not hex"}, "signature_invalid"),
        ({"signature": ""}, "signature_missing"),
        ({"secret": "someone-elses-secret"}, "signature_invalid"),
        ({"channel": "no-such-bank"}, "unknown_channel"),
    ],
)
def test_a_badly_signed_notification_is_refused(bill, channel, headers, code):
    kwargs = dict(headers)
    if kwargs.get("channel") == "no-such-bank":
        kwargs["secret"] = "x"
    response = post_signed(Client(), notification(bill), **kwargs)
    assert response.status_code == 401
    assert error_code(response) == code
    assert response.json()["error"]["message"]
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID
    assert not Payment.objects.exists()


def test_missing_headers_are_refused_with_the_error_envelope(bill, channel):
    response = Client().post(
        "/api/v1/payments/notifications",
        data=json.dumps(notification(bill)),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert error_code(response) == "signature_missing"


@pytest.mark.parametrize("skew", [-330, 330, -3600])  # 30 s of slack for a slow machine
def test_a_stale_or_future_timestamp_is_refused(bill, channel, skew):
    response = post_signed(Client(), notification(bill), timestamp=int(time.time()) + skew)
    assert response.status_code == 401
    assert error_code(response) == "timestamp_out_of_window"


def test_an_inactive_channel_is_unknown(bill, channel):
    PaymentChannel.objects.filter(pk=channel.pk).update(is_active=False)
    response = post_signed(Client(), notification(bill))
    assert response.status_code == 401
    assert error_code(response) == "unknown_channel"


def test_a_wrong_amount_is_refused_and_the_bill_stays_unpaid(bill, channel, handlers):
    response = post_signed(Client(), notification(bill, amount=300_000))
    assert response.status_code == 422
    assert error_code(response) == "amount_mismatch"
    assert "amount" in response.json()["error"]["fields"]
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID
    assert handlers == []


def test_an_unknown_billing_code_answers_404(bill, channel):
    # a code with a right check digit that no bill has
    other = "8" + "0" * 13
    from simi.payments.billingcodes import check_digit

    response = post_signed(Client(), notification(bill, billing_code=other + check_digit(other)))
    assert response.status_code == 404


def test_a_mistyped_billing_code_answers_422(bill, channel):
    typo = bill.billing_code[:-1] + str((int(bill.billing_code[-1]) + 1) % 10)
    response = post_signed(Client(), notification(bill, billing_code=typo))
    assert response.status_code == 422
    assert error_code(response) == "billing_code_check"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        json.dumps({"billing_code": "1", "amount": "lots"}).encode(),
        json.dumps({"billing_code": "1", "amount": 1, "reference": "r", "paid_at": "x"}).encode(),
    ],
)
def test_a_malformed_body_is_a_field_error_not_a_500(channel, body):
    response = post_signed(Client(), body)
    assert response.status_code == 422


def test_an_expired_bill_cannot_be_paid(bill, channel, handlers):
    # given the bill expired (its service cancels on expiry)
    bills_expire_due(now=bill.expires_at + timedelta(seconds=1))
    # when the bank reports a payment after that
    response = post_signed(Client(), notification(bill, paid_at=timezone.now().isoformat()))
    # then it is refused
    assert response.status_code == 409
    assert error_code(response) == "bill_expired"
    assert not Payment.objects.exists()


def test_a_payment_made_after_expiry_is_refused_even_before_the_job_ran(bill, channel):
    late = (bill.expires_at + timedelta(minutes=1)).isoformat()
    now = bill.expires_at + timedelta(minutes=2)
    body = json.dumps(notification(bill, paid_at=late)).encode()
    ts = str(int(now.timestamp()))
    with pytest.raises(Conflict) as caught:
        payment_notification_receive(
            channel_code="demo-bank",
            timestamp=ts,
            signature=sign(channel.secret, ts, body),
            body=body,
            now=now,
        )
    assert caught.value.code == "bill_expired"


def test_a_cancelled_bill_cannot_be_paid(bill, awaiting, channel, officer):
    application_bill_cancel(actor=officer, application=awaiting)
    response = post_signed(Client(), notification(bill))
    assert response.status_code == 409
    assert error_code(response) == "bill_cancelled"


def test_when_the_domain_handler_fails_nothing_is_recorded(bill, channel, settings):
    settings.SIMI_BILL_HANDLERS = {
        "application": {"paid": "simi.payments.tests.conftest.refuse_paid", "expired": "x.y"}
    }
    body = json.dumps(notification(bill)).encode()
    ts = str(int(time.time()))
    with pytest.raises(RuntimeError):
        payment_notification_receive(
            channel_code="demo-bank",
            timestamp=ts,
            signature=sign(channel.secret, ts, body),
            body=body,
        )
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID
    assert not Payment.objects.exists()


def test_notifications_are_rate_limited_per_channel(bill, channel, settings):
    settings.SIMI_PAYMENT_NOTIFY_LIMIT = 2
    codes = [post_signed(Client(), notification(bill)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_demo_secret_is_refused_in_production(bill, channel, settings):
    # given a deployment switched to production with the demo bank still set up
    settings.PRODUCTION = True
    # then the published secret cannot be configured
    with pytest.raises(ImproperlyConfigured):
        demo_secret()
    settings.SIMI_DEMO_BANK_SECRET = DEMO_CHANNEL_SECRET
    with pytest.raises(ImproperlyConfigured):
        demo_secret()
    # and notifications signed with it are refused
    response = post_signed(Client(), notification(bill))
    assert response.status_code == 401
    assert error_code(response) == "unknown_channel"


def test_a_configured_demo_secret_replaces_the_published_one(db, settings):
    settings.SIMI_DEMO_BANK_SECRET = "a-sandbox-secret-from-the-environment"
    from simi.payments.channels import demo_channel_ensure

    assert demo_channel_ensure().secret == "a-sandbox-secret-from-the-environment"
    # and the secret is stored encrypted
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM payments_paymentchannel")
        stored = cursor.fetchone()[0]
    assert "sandbox" not in stored


def test_simulate_payment_pays_a_bill_as_the_demo_bank(bill, handlers, capsys):
    call_command("simulate_payment", bill.billing_code_display)
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID
    assert Payment.objects.get().channel.code == "demo-bank"
    assert handlers == [("paid", bill.billing_code)]
    assert "Rp350.000" in capsys.readouterr().out


def test_simulate_payment_is_refused_in_production(bill, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("simulate_payment", bill.billing_code)
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID
