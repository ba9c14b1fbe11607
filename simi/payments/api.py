"""The /api/v1 operations of payments: your bills, the payment-notification
endpoint of the banks, and bank-statement reconciliation for staff."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import File, Header
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.core.codes import CommonCode
from simi.core.errors import RateLimited, ValidationFailed
from simi.core.idempotency import idempotency_key
from simi.core.paging import Paged, paged
from simi.core.ratelimit import client_ip, hit
from simi.core.routing import PUBLIC, ScopedRouter
from simi.payments import selectors
from simi.payments.channels import CHANNEL_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER
from simi.payments.models import (
    Bill,
    BillPurpose,
    LineReason,
    LineResult,
    Reconciliation,
    ReconciliationLine,
)
from simi.payments.payment_notices import payment_notification_receive
from simi.payments.reconciliation import (
    MAX_FILE_BYTES,
    check_size,
    reconciliation_import,
    require_reconciler,
)
from simi.payments.schemas import (
    BillLineOut,
    BillOut,
    PaymentMethodOut,
    PaymentNotificationIn,
    PaymentNotificationOut,
    ReconciliationLineOut,
    ReconciliationOut,
)

router = ScopedRouter(tags=["payments"])

# Per channel (and per address before the channel is known): a bank sends
# bursts at month end, far below this; a flood is refused with 429.
NOTIFY_LIMIT_PER_MINUTE = 600
NOTIFY_ADDRESS_LIMIT_PER_MINUTE = 1200


def _ntpn(bill: Bill) -> str | None:
    if bill.status != Bill.Status.PAID:
        return None
    payment = getattr(bill, "payment", None)
    return (payment.ntpn or None) if payment is not None else None


def bill_out(bill: Bill) -> BillOut:
    return BillOut(
        id=bill.public_id,
        billing_code=bill.billing_code,
        billing_code_display=bill.billing_code_display,
        purpose=bill.purpose,
        # An application fee's owner reference is the application's public id.
        application_id=(
            uuid.UUID(bill.reference) if bill.purpose == BillPurpose.APPLICATION else None
        ),
        tracking_code=bill.owner_code or None,
        office=bill.office.code,
        amount=bill.amount,
        lines=[BillLineOut(**line) for line in bill.lines],
        status=bill.status,
        status_label=str(Bill.Status(bill.status).label),
        issued_at=bill.issued_at,
        expires_at=bill.expires_at,
        paid_at=bill.paid_at,
        ntpn=_ntpn(bill),
        payable=bill.is_payable,
        replaces=bill.replaces.billing_code if bill.replaces_id else None,  # type: ignore[union-attr]
    )


@router.get("/bills", scope="profile", response=list[BillOut], summary="Your bills")
@paginate(LimitOffsetPagination)
def bill_list(request: HttpRequest) -> Paged[BillOut]:
    """Your own bills, newest first."""
    return paged(selectors.bills_own(request.user), bill_out)


@router.get("/bills/{bill_id}", scope="profile", response=BillOut, summary="One of your bills")
def bill_get(request: HttpRequest, bill_id: uuid.UUID) -> BillOut:
    """Someone else's bill answers 404, like a missing one."""
    return bill_out(selectors.bill_get_own(actor=request.user, public_id=bill_id))


# Public reads: far above what a page or an app asks; a scraper gets 429.
METHODS_LIMIT_PER_MINUTE = 60


@router.get(
    "/payment-methods",
    scope=PUBLIC,
    response=list[PaymentMethodOut],
    summary="Ways to pay a billing code (public)",
)
def payment_method_list(request: HttpRequest) -> list[PaymentMethodOut]:
    """Bank teller, ATM, mobile and internet banking, EDC, post office,
    marketplaces: each with its steps for paying a 15-digit billing code, in
    the order shown on the bill page. Names and steps follow
    ``Accept-Language`` (Indonesian by default, English with ``en``). At
    most 60 a minute per address (429)."""
    if not hit(
        "payments.methods",
        client_ip(request),
        limit=METHODS_LIMIT_PER_MINUTE,
        window_seconds=60,
    ):
        raise RateLimited()
    return [
        PaymentMethodOut(code=m.code, name=m.name, steps=m.steps, source=m.source)
        for m in selectors.payment_methods()
    ]


_NOTIFICATION_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": PaymentNotificationIn.model_json_schema()}},
    }
}


@router.post(
    "/payments/notifications",
    scope=PUBLIC,
    response={200: PaymentNotificationOut},
    summary="Payment notification (banks and payment channels)",
    openapi_extra=_NOTIFICATION_BODY,
)
def payment_notification(
    request: HttpRequest,
    x_simi_channel: str | None = Header(None, alias=CHANNEL_HEADER),
    x_simi_timestamp: str | None = Header(None, alias=TIMESTAMP_HEADER),
    x_simi_signature: str | None = Header(None, alias=SIGNATURE_HEADER),
) -> Status[Any]:
    """A channel reports a collected payment. No user sign-in: the channel
    signs the raw body. ``X-Simi-Signature`` = hex HMAC-SHA256(secret,
    ``"{X-Simi-Timestamp}.{raw body}"``), the timestamp in unix seconds within
    5 minutes of our clock (401 otherwise, and for an unknown channel).

    Unknown billing code 404; expired, cancelled or already paid bill 409;
    another amount 422. Idempotent on (channel, reference): a replay gets the
    same 200 answer and changes nothing; the same reference with another body
    answers 409 ``reference_reused``. At most 600 a minute per channel (429).
    """
    if not hit(
        "payments.notify.ip",
        client_ip(request),
        limit=NOTIFY_ADDRESS_LIMIT_PER_MINUTE,
        window_seconds=60,
    ):
        raise RateLimited()
    channel_code = (x_simi_channel or "")[:40]
    limit = int(getattr(settings, "SIMI_PAYMENT_NOTIFY_LIMIT", NOTIFY_LIMIT_PER_MINUTE))
    if channel_code and not hit("payments.notify", channel_code, limit=limit, window_seconds=60):
        raise RateLimited()
    answer = payment_notification_receive(
        channel_code=channel_code,
        timestamp=x_simi_timestamp or "",
        signature=x_simi_signature or "",
        body=request.body,
    )
    return Status(200, answer.as_json())


def _line_out(line: ReconciliationLine) -> ReconciliationLineOut:
    return ReconciliationLineOut(
        line=line.line_number,
        date=line.date,
        billing_code=line.billing_code,
        amount=line.amount,
        reference=line.reference,
        result=line.result,
        reason=line.reason,
        reason_label=str(LineReason(line.reason).label),
    )


def reconciliation_out(reconciliation: Reconciliation) -> dict[str, Any]:
    lines = list(selectors.reconciliation_lines(reconciliation))
    by_result = {
        result: [_line_out(line) for line in lines if line.result == result]
        for result in LineResult.values
    }
    return ReconciliationOut(
        id=reconciliation.public_id,
        file_name=reconciliation.file_name,
        imported_at=reconciliation.created_at,
        total_lines=reconciliation.total_lines,
        matched=reconciliation.matched_count,
        unmatched=reconciliation.unmatched_count,
        duplicate=reconciliation.duplicate_count,
        matched_lines=by_result[LineResult.MATCHED],
        unmatched_lines=by_result[LineResult.UNMATCHED],
        duplicate_lines=by_result[LineResult.DUPLICATE],
    ).model_dump(mode="json")


# Optional in the schema so that permission is checked before the file.
_OPTIONAL_FILE = File(None)


@router.post(
    "/payments/reconciliations",
    scope="payments:reconcile",
    response={200: ReconciliationOut, 201: ReconciliationOut},
    summary="Import a bank statement (staff)",
)
def reconciliation_create(
    request: HttpRequest, file: UploadedFile | None = _OPTIONAL_FILE
) -> Status[Any]:
    """Upload a bank statement CSV (multipart field ``file``; UTF-8 with or
    without BOM; header ``date,billing_code,amount,reference``; at most 5 MB)
    and get the report: matched, unmatched and duplicate lines. A file with a
    bad line is refused whole (422, each bad line named). Staff with
    ``payments:reconcile`` only; codes of other offices count as unknown.
    ``Idempotency-Key`` honoured: a retry with the same file answers 200 with
    the first report."""
    require_reconciler(request.user)
    if file is None:
        raise ValidationFailed.for_field(
            "file", _("Choose the statement's CSV file."), code=CommonCode.FILE_MISSING
        )
    key = idempotency_key(request) or ""
    check_size(file.size or 0)  # before reading a byte of it
    content = file.read(MAX_FILE_BYTES + 1)
    reconciliation, created = reconciliation_import(
        actor=request.user, file_name=file.name or "", content=content, idempotency_key=key
    )
    return Status(201 if created else 200, reconciliation_out(reconciliation))


@router.get(
    "/payments/reconciliations/{reconciliation_id}",
    scope="payments:reconcile",
    response=ReconciliationOut,
    summary="One reconciliation report (staff)",
)
def reconciliation_get(request: HttpRequest, reconciliation_id: uuid.UUID) -> dict[str, Any]:
    """A report imported by your office (all offices for administrators)."""
    return reconciliation_out(
        selectors.reconciliation_get(actor=request.user, public_id=reconciliation_id)
    )
