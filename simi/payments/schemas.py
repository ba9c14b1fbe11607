"""API schemas of bills, payment notifications and reconciliations."""

import uuid
from datetime import date, datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from simi.core.money import MAX_RUPIAH


class BillLineOut(Schema):
    """One fee component of a bill, as it was when the bill was issued."""

    component: str = Field(..., description="Empty for the service's own fee.")
    label_id: str
    label_en: str
    amount: int = Field(..., description="Whole Rupiah.")
    legal_basis: str = Field(..., description="As issued (Indonesian).")
    legal_basis_en: str = Field(
        "", description="The legal basis in English; empty: only the Indonesian text exists."
    )


class BillOut(Schema):
    """A bill as its payer sees it."""

    id: uuid.UUID
    billing_code: str = Field(..., description="15 digits; pay it at a bank or payment channel.")
    billing_code_display: str = Field(..., description="The code in groups of five digits.")
    purpose: str = Field(..., description="What the bill pays for, e.g. application.")
    application_id: uuid.UUID | None
    tracking_code: str | None = Field(..., description="Of the application the bill is for.")
    office: str = Field(..., description="Office code.")
    amount: int = Field(..., description="Whole Rupiah; never changes after issue.")
    lines: list[BillLineOut]
    status: str = Field(..., description="unpaid, paid, expired or cancelled.")
    status_label: str
    issued_at: datetime
    expires_at: datetime
    paid_at: datetime | None = Field(..., description="When the payer paid (the bank's time).")
    ntpn: str | None = Field(
        ...,
        description=(
            "Receipt number of the state-revenue payment (NTPN) once paid; null before, or "
            "when the bank sent none."
        ),
    )
    payable: bool = Field(
        ..., description="Unpaid and before expires_at: the billing code can be paid now."
    )
    replaces: str | None = Field(..., description="Billing code of the bill this one replaces.")


class PaymentNotificationIn(Schema):
    """A payment the channel collected. Send the raw JSON body exactly as
    signed: ``X-Simi-Signature`` is hex HMAC-SHA256(secret,
    ``"{X-Simi-Timestamp}.{body}"``). Other keys are refused (422)."""

    model_config = ConfigDict(extra="forbid")

    billing_code: str = Field(
        ..., min_length=1, max_length=40, description="The 15-digit billing code paid."
    )
    amount: int = Field(..., gt=0, le=MAX_RUPIAH, description="Whole Rupiah collected.")
    reference: str = Field(
        ...,
        min_length=1,
        max_length=64,
        pattern=r"^[\x21-\x7e]{1,64}$",
        description="The channel's unique payment reference: visible ASCII, no spaces.",
    )
    paid_at: datetime = Field(..., description="When the payer paid, ISO 8601 with offset.")
    ntpn: str | None = Field(
        None,
        pattern=r"^[0-9A-Z]{16}$",
        description=(
            "The state-revenue receipt number (Nomor Transaksi Penerimaan Negara) on the "
            "payer's receipt: 16 digits or capital letters. Shown to the payer once paid."
        ),
    )


class PaymentNotificationOut(Schema):
    """The notification was accepted (or was accepted before: a replay gets
    this same answer)."""

    result: str = Field(..., description="Always accepted.")
    billing_code: str
    reference: str
    amount: int
    paid_at: datetime
    received_at: datetime = Field(..., description="When SIMI first recorded it.")
    bill_status: str


class ReconciliationLineOut(Schema):
    """One statement line and what SIMI found for it."""

    line: int = Field(..., description="Line number in the file (the header is line 1).")
    date: date
    billing_code: str
    amount: int
    reference: str
    result: str = Field(..., description="matched, unmatched or duplicate.")
    reason: str = Field(..., description="A stable code, e.g. amount_differs.")
    reason_label: str


class ReconciliationOut(Schema):
    """The report of one imported bank statement."""

    id: uuid.UUID
    file_name: str
    imported_at: datetime
    total_lines: int
    matched: int
    unmatched: int
    duplicate: int
    matched_lines: list[ReconciliationLineOut]
    unmatched_lines: list[ReconciliationLineOut]
    duplicate_lines: list[ReconciliationLineOut]


class PaymentMethodOut(Schema):
    """A way to pay a billing code, with its steps in the language asked for
    (``Accept-Language``: ``id``, the default, or ``en``)."""

    code: str = Field(..., description="Stable code, e.g. atm, mobile-banking.")
    name: str
    steps: list[str] = Field(..., description="In order.")
    source: str = Field(..., description="Where the method and its steps come from.")
