"""Payments test helpers: an application awaiting payment, its bill, the
demo channel, signed notifications, and recorders standing in for the
owner's paid and expired handlers (the applications workflow provides the
real ones; its billing rules, ``on_expiry``, stay the real ones)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client

from simi.applications.billing import application_bill_issue
from simi.applications.models import Application
from simi.applications.models import Status as ApplicationStatus
from simi.applications.tests.conftest import ani, budi, draft, submitted  # noqa: F401
from simi.payments.channels import demo_channel_ensure, sign
from simi.payments.models import Bill, PaymentChannel

NOTIFY_URL = "/api/v1/payments/notifications"
CALLS: list[tuple[str, str]] = []


def record_paid(*, bill: Bill) -> None:
    CALLS.append(("paid", bill.billing_code))


def record_expired(*, bill: Bill) -> None:
    CALLS.append(("expired", bill.billing_code))


def refuse_paid(*, bill: Bill) -> None:
    raise RuntimeError("the purpose's domain failed")


@pytest.fixture(autouse=True)
def handlers(settings: Any) -> list[tuple[str, str]]:
    """Point the bill handlers at recorders; returns the calls made."""
    CALLS.clear()
    settings.SIMI_BILL_HANDLERS = {
        "application": {
            **settings.SIMI_BILL_HANDLERS["application"],
            "paid": f"{__name__}.record_paid",
            "expired": f"{__name__}.record_expired",
        }
    }
    return CALLS


def to_awaiting_payment(application: Application) -> Application:
    # The officer workflow moves applications here; until it lands, tests
    # put the submitted application in the state directly.
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.AWAITING_PAYMENT)
    application.refresh_from_db()
    return application


@pytest.fixture
def awaiting(submitted: Application) -> Application:  # noqa: F811
    """Ani's 5-year passport application at Liwa, awaiting payment (Rp350.000)."""
    return to_awaiting_payment(submitted)


@pytest.fixture
def bill(awaiting: Application, officer: Any) -> Bill:
    return application_bill_issue(actor=officer, application=awaiting)


@pytest.fixture
def channel(db: None) -> PaymentChannel:
    return demo_channel_ensure()


def notification(bill: Bill, **overrides: Any) -> dict[str, Any]:
    body = {
        "billing_code": bill.billing_code,
        "amount": bill.amount,
        "reference": "BNI-0001",
        "paid_at": bill.issued_at.isoformat(),
    }
    body.update(overrides)
    return body


def post_signed(
    client: Client,
    body: dict[str, Any] | bytes,
    *,
    channel: str = "demo-bank",
    secret: str | None = None,
    timestamp: int | None = None,
    signature: str | None = None,
) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    ts = str(int(time.time()) if timestamp is None else timestamp)
    if secret is None:
        secret = PaymentChannel.objects.get(code=channel).secret or ""
    headers = {
        "HTTP_X_SIMI_CHANNEL": channel,
        "HTTP_X_SIMI_TIMESTAMP": ts,
        "HTTP_X_SIMI_SIGNATURE": signature if signature is not None else sign(secret, ts, raw),
    }
    return client.post(NOTIFY_URL, data=raw, content_type="application/json", **headers)


@pytest.fixture
def payment_methods(db: None) -> None:
    """The ways to pay from their data migration, reloaded after a
    transactional test has flushed the table."""
    from simi.payments.models import PaymentMethod
    from simi.payments.referencedata import load_payment_methods

    if not PaymentMethod.objects.exists():
        load_payment_methods(PaymentMethod)
