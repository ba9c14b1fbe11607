"""Audit actions and error codes of payments (docs/codes.md)."""

from simi.core.codes import AuditAction, ErrorCode


class Action(AuditAction):
    BILL_ISSUED = "payments.bill_issued", "A bill was issued for its owner; the payer was told."
    BILL_REISSUED = (
        "payments.bill_reissued",
        "An expired bill got a new code for the same amount and lines.",
    )
    BILL_RENEWAL_REQUESTED = (
        "payments.bill_renewal_requested",
        "The payer asked for a new code for an expired bill and got one.",
    )
    BILL_CANCELLED = "payments.bill_cancelled", "An unpaid bill was cancelled (its owner closed)."
    BILL_EXPIRED = "payments.bill_expired", "An unpaid bill passed its expiry."
    BILL_PAID = "payments.bill_paid", "A payment channel's signed notification paid a bill."
    CHANNEL_CREATED = "payments.channel_created", "A payment channel was added."
    CHANNEL_CHANGED = "payments.channel_changed", "A payment channel was changed in the admin."
    PAYMENT_METHOD_CHANGED = (
        "payments.payment_method_changed",
        "A way to pay (how-to-pay steps) was added or changed in the admin.",
    )
    CHANNEL_SECRET_CHANGED = (
        "payments.channel_secret_changed",
        "The demo bank's secret was set again from the configuration.",
    )
    RECONCILIATION_IMPORTED = (
        "payments.reconciliation_imported",
        "A bank statement was imported and its lines matched against payments.",
    )


class Code(ErrorCode):
    # issuing, reissuing (services)
    BILLING_CODE_EXHAUSTED = (
        "billing_code_exhausted",
        "No free billing code was found; try again.",
    )
    CHARGE_PURPOSE_UNKNOWN = "charge_purpose_unknown", "The bill's purpose is not a known one."
    BILL_OWNER_INVALID = "bill_owner_invalid", "The bill's owner reference is missing or too long."
    NOTHING_TO_PAY = "nothing_to_pay", "The amount to pay is zero: no bill is issued."
    CHARGE_LINES_MISMATCH = (
        "charge_lines_mismatch",
        "The bill's lines do not add up to its amount.",
    )
    CHARGE_EXPIRY_INVALID = "charge_expiry_invalid", "A bill must be payable for at least a minute."
    BILL_NOT_EXPIRED = "bill_not_expired", "Only an expired bill can be reissued."
    BILL_STILL_PAYABLE = "bill_still_payable", "The bill can still be paid: no new code is needed."
    BILL_NOT_RENEWABLE = "bill_not_renewable", "A paid or cancelled bill gets no new code."
    # billing codes as people type them
    BILLING_CODE_FORMAT = "billing_code_format", "A billing code has 15 digits."
    BILLING_CODE_CHECK = "billing_code_check", "The billing code's check digit fails: a typo."
    # payment notifications from a channel (payment_notices; the signature's
    # own codes are core's, shared with oversight's devices)
    UNKNOWN_CHANNEL = "unknown_channel", "No active payment channel has this code."
    JSON_INVALID = "json_invalid", "The body is not a JSON object."
    REFERENCE_INVALID = "reference_invalid", "A reference has 1 to 64 visible characters."
    NTPN_INVALID = "ntpn_invalid", "An NTPN (receipt number) has 16 digits or capital letters."
    PAID_AT_NAIVE = "paid_at_naive", "The payment time has no UTC offset."
    PAID_AT_FUTURE = "paid_at_future", "The payment time is in the future."
    REFERENCE_REUSED = (
        "reference_reused",
        "The channel's reference was already used for another notification.",
    )
    BILL_NOT_FOUND = "bill_not_found", "No bill has this billing code."
    BILL_ALREADY_PAID = "bill_already_paid", "The bill is already paid."
    BILL_CANCELLED = "bill_cancelled", "The bill is cancelled and cannot be paid."
    BILL_EXPIRED = "bill_expired", "The bill expired before it was paid."
    AMOUNT_MISMATCH = "amount_mismatch", "The amount paid differs from the bill's amount."
    BILL_NOT_PAYABLE = "bill_not_payable", "The bill can no longer be paid."
    # bank-statement reconciliation
    NOT_A_RECONCILER = (
        "not_a_reconciler",
        "Only staff who reconcile payments may import statements.",
    )
    FILE_NOT_UTF8 = "file_not_utf8", "The statement is not UTF-8 text."
    HEADER_INVALID = (
        "header_invalid",
        "The statement's first line is not date,billing_code,amount,reference.",
    )
    TOO_MANY_LINES = "too_many_lines", "The statement has more than 50,000 lines."
    STATEMENT_INVALID = (
        "statement_invalid",
        "Some lines of the statement are not valid; `fields.file` names them.",
    )
    RECONCILIATION_CONCURRENT = (
        "reconciliation_concurrent",
        "Another import of the same payments ran at the same time; import again.",
    )


FORMERLY = {
    Action.BILL_ISSUED: "bill.issued",
    Action.BILL_REISSUED: "bill.reissued",
    Action.BILL_CANCELLED: "bill.cancelled",
    Action.BILL_EXPIRED: "bill.expired",
    Action.BILL_PAID: "bill.paid",
}
