"""Payment notifications from a bank or payment channel.

Checked in this order, each failure answering with the error envelope:

1. channel, timestamp and signature headers present, channel known and
   active, timestamp within 5 minutes, signature right (401);
2. body: JSON ``{billing_code, amount, reference, paid_at}`` and, when the
   channel has it, ``ntpn``, the state-revenue receipt number (422);
3. the same (channel, reference) seen before: the same body gets the same
   200 answer and changes nothing; another body 409 ``reference_reused``;
4. the bill: unknown code 404; expired or cancelled 409; paid by another
   payment 409; another amount 422 ``amount_mismatch``;
5. the payment row, the bill turned paid and the purpose's "paid" handler,
   all in one transaction. The unique (channel, reference) and (bill)
   constraints decide between two copies arriving at once.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simi.audit.services import audit_record
from simi.core.codes import CommonCode, ErrorCode
from simi.core.errors import Conflict, NotAuthenticated, NotFound, ValidationFailed
from simi.core.money import MAX_RUPIAH
from simi.payments import billingcodes
from simi.payments.channels import MAX_SKEW_SECONDS, channel_usable, signature_matches
from simi.payments.codes import Action, Code
from simi.payments.models import Bill, BillStatus, Payment, PaymentChannel
from simi.payments.owners import owner_told
from simi.payments.services import _audit_data, bill_notify

MAX_BODY_BYTES = 16 * 1024
CHANNEL_PATTERN = re.compile(r"[a-z0-9-]{1,40}")
REFERENCE_PATTERN = re.compile(r"[\x21-\x7e]{1,64}")
NTPN_PATTERN = re.compile(r"[0-9A-Z]{16}")
SIGNATURE_PATTERN = re.compile(r"[0-9a-fA-F]{64}")


class NotificationBody(BaseModel):
    """What the channel reports: which bill, how much, its reference, when.
    The published schemas.PaymentNotificationIn states these same rules."""

    model_config = ConfigDict(extra="forbid", strict=False)

    billing_code: str = Field(..., min_length=1, max_length=40)
    amount: int = Field(..., gt=0, le=MAX_RUPIAH)
    reference: str = Field(..., min_length=1, max_length=64)
    paid_at: datetime
    ntpn: str | None = Field(None, max_length=16)


@dataclass(frozen=True)
class NotificationAnswer:
    """The 200 answer; derived from the stored payment, so a replay gets it again."""

    billing_code: str
    reference: str
    amount: int
    paid_at: datetime
    received_at: datetime
    bill_status: str

    def as_json(self) -> dict[str, Any]:
        return {
            "result": "accepted",
            "billing_code": self.billing_code,
            "reference": self.reference,
            "amount": self.amount,
            "paid_at": self.paid_at.isoformat(),
            "received_at": self.received_at.isoformat(),
            "bill_status": self.bill_status,
        }


def _answer(payment: Payment) -> NotificationAnswer:
    return NotificationAnswer(
        billing_code=payment.bill.billing_code,
        reference=payment.channel_reference,
        amount=payment.amount,
        paid_at=payment.paid_at,
        received_at=payment.received_at,
        bill_status=BillStatus.PAID,
    )


def _unauthenticated(code: ErrorCode) -> NotAuthenticated:
    return NotAuthenticated(
        _("The notification is not signed by a known payment channel."), code=code
    )


def authenticate(
    *, channel_code: str, timestamp: str, signature: str, body: bytes, now: datetime
) -> PaymentChannel:
    """The channel that signed ``body``, or NotAuthenticated (401)."""
    channel_code, timestamp, signature = (
        (channel_code or "").strip(),
        (timestamp or "").strip(),
        (signature or "").strip(),
    )
    if not channel_code or not timestamp or not signature:
        raise _unauthenticated(CommonCode.SIGNATURE_MISSING)
    channel = (
        PaymentChannel.objects.filter(code=channel_code).first()
        if CHANNEL_PATTERN.fullmatch(channel_code)
        else None
    )
    if channel is None or not channel_usable(channel):
        raise _unauthenticated(Code.UNKNOWN_CHANNEL)
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise _unauthenticated(CommonCode.TIMESTAMP_INVALID)
    if abs(now.timestamp() - int(timestamp)) > MAX_SKEW_SECONDS:
        raise NotAuthenticated(
            _("The notification's timestamp is more than 5 minutes away from our clock."),
            code=CommonCode.TIMESTAMP_OUT_OF_WINDOW,
        )
    if not SIGNATURE_PATTERN.fullmatch(signature) or not signature_matches(
        channel.secret or "", timestamp, body, signature
    ):
        raise _unauthenticated(CommonCode.SIGNATURE_INVALID)
    return channel


def parse_body(body: bytes) -> NotificationBody:
    if len(body) > MAX_BODY_BYTES:
        raise ValidationFailed(_("The notification is too large."), code=CommonCode.BODY_TOO_LARGE)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationFailed(
            _("The request body is not valid JSON."), code=Code.JSON_INVALID
        ) from None
    if not isinstance(data, dict):
        raise ValidationFailed(_("Send a JSON object."), code=Code.JSON_INVALID)
    try:
        parsed = NotificationBody.model_validate(data)
    except ValidationError as exc:
        fields: dict[str, list[Any]] = {}
        for error in exc.errors():
            name = ".".join(str(part) for part in error.get("loc", ())) or "__all__"
            fields.setdefault(name, []).append(_("This value is not valid."))
        raise ValidationFailed(fields=fields) from None
    if not REFERENCE_PATTERN.fullmatch(parsed.reference):
        raise ValidationFailed.for_field(
            "reference",
            _("A reference has 1 to 64 visible characters, without spaces."),
            code=Code.REFERENCE_INVALID,
        )
    if parsed.ntpn is not None and not NTPN_PATTERN.fullmatch(parsed.ntpn):
        raise ValidationFailed.for_field(
            "ntpn",
            _("An NTPN has 16 characters: digits and capital letters."),
            code=Code.NTPN_INVALID,
        )
    if parsed.paid_at.tzinfo is None:
        raise ValidationFailed.for_field(
            "paid_at",
            _("Give the time with its offset, e.g. 2026-01-05T10:15:00+07:00."),
            code=Code.PAID_AT_NAIVE,
        )
    return parsed


def _fingerprint(billing_code: str, parsed: NotificationBody) -> str:
    """SHA-256 of the body's meaning (not its bytes): the same notification
    re-sent with other spacing or key order is the same notification. The
    NTPN counts only when sent, so fingerprints stored before it existed
    still match their replays."""
    meaning: dict[str, Any] = {
        "amount": parsed.amount,
        "billing_code": billing_code,
        "paid_at": parsed.paid_at.astimezone(UTC).isoformat(),
        "reference": parsed.reference,
    }
    if parsed.ntpn:
        meaning["ntpn"] = parsed.ntpn
    canonical = json.dumps(
        meaning,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(channel: PaymentChannel, reference: str, fingerprint: str) -> NotificationAnswer | None:
    previous = (
        Payment.objects.filter(channel=channel, channel_reference=reference)
        .select_related("bill")
        .first()
    )
    if previous is None:
        return None
    if previous.body_sha256 != fingerprint:
        raise Conflict(
            _("This reference was already used for another payment notification."),
            code=Code.REFERENCE_REUSED,
        )
    return _answer(previous)


def _check_bill(bill: Bill, parsed: NotificationBody) -> None:
    if bill.status == BillStatus.PAID:
        raise Conflict(_("This bill is already paid."), code=Code.BILL_ALREADY_PAID)
    if bill.status == BillStatus.CANCELLED:
        raise Conflict(_("This bill is cancelled and cannot be paid."), code=Code.BILL_CANCELLED)
    if bill.status == BillStatus.EXPIRED or parsed.paid_at > bill.expires_at:
        raise Conflict(_("This bill expired before it was paid."), code=Code.BILL_EXPIRED)
    if parsed.amount != bill.amount:
        raise ValidationFailed.for_field(
            "amount", _("The amount differs from the bill's amount."), code=Code.AMOUNT_MISMATCH
        )


@transaction.atomic
def payment_notification_receive(
    *,
    channel_code: str,
    timestamp: str,
    signature: str,
    body: bytes,
    now: datetime | None = None,
) -> NotificationAnswer:
    """Record a signed payment notification and mark its bill paid (see module doc)."""
    now = now or timezone.now()
    channel = authenticate(
        channel_code=channel_code, timestamp=timestamp, signature=signature, body=body, now=now
    )
    parsed = parse_body(body)
    code = billingcodes.normalize(parsed.billing_code)
    if parsed.paid_at > now + timedelta(seconds=MAX_SKEW_SECONDS):
        raise ValidationFailed.for_field(
            "paid_at", _("The payment time is in the future."), code=Code.PAID_AT_FUTURE
        )
    fingerprint = _fingerprint(code, parsed)
    replayed = _replay(channel, parsed.reference, fingerprint)
    if replayed is not None:
        return replayed
    bill = (
        Bill.objects.select_for_update(of=("self",), no_key=True)
        .filter(billing_code=code)
        .select_related("office", "payer")
        .first()
    )
    if bill is None:
        raise NotFound(_("There is no bill with this billing code."), code=Code.BILL_NOT_FOUND)
    # A copy that arrived at the same moment may have committed while we
    # waited for the bill's lock: it is a replay, not a second payment.
    replayed = _replay(channel, parsed.reference, fingerprint)
    if replayed is not None:
        return replayed
    _check_bill(bill, parsed)
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                channel=channel,
                channel_reference=parsed.reference,
                bill=bill,
                amount=parsed.amount,
                paid_at=parsed.paid_at,
                ntpn=parsed.ntpn or "",
                received_at=now,
                raw_body=body.decode("utf-8"),
                body_sha256=fingerprint,
                signed_timestamp=int(timestamp.strip()),
            )
    except IntegrityError:
        # A copy of this notification (or another payment of this bill) won
        # the race; the constraint decided, the answer follows from its row.
        replayed = _replay(channel, parsed.reference, fingerprint)
        if replayed is not None:
            return replayed
        raise Conflict(_("This bill is already paid."), code=Code.BILL_ALREADY_PAID) from None
    updated = Bill.objects.filter(pk=bill.pk, status=BillStatus.UNPAID).update(
        status=BillStatus.PAID, paid_at=parsed.paid_at, updated_at=now
    )
    if updated != 1:  # cannot happen under the row lock; never pay a closed bill
        raise Conflict(_("This bill can no longer be paid."), code=Code.BILL_NOT_PAYABLE)
    bill.refresh_from_db()
    audit_record(
        actor=None,
        action=Action.BILL_PAID,
        target=bill,
        data=_audit_data(bill, channel=channel.code, reference=parsed.reference),
    )
    bill_notify(bill, "bill_paid")
    owner_told(bill, "paid")
    return _answer(payment)
