"""Bank-statement reconciliation: does what the bank says it collected agree
with what SIMI recorded?

The statement is a CSV file, UTF-8 with or without BOM, comma-separated,
header ``date,billing_code,amount,reference``; dates as YYYY-MM-DD, amounts
in whole Rupiah (``350000`` or ``350.000``). At most 5 MB and 50,000 lines.

A file with any bad line is refused whole, each bad line named with its
number and reason, so nothing is half-written. Otherwise every line is
stored with its result:

- matched: the code is a bill (of an office the importer sees), paid in
  SIMI, with the same amount, and the reference is its payment's reference;
- unmatched: unknown code, another amount, bill not paid in SIMI, or paid
  with another reference;
- duplicate: the reference appears earlier in the file, or a line with that
  reference was matched by an earlier import.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.accounts.models import User
from simi.accounts.scoping import scope_by_office
from simi.audit.services import audit_record
from simi.core.codes import CommonCode, ErrorCode
from simi.core.errors import Conflict, PermissionDenied, SimiError, ValidationFailed
from simi.core.money import parse_rupiah
from simi.payments import billingcodes
from simi.payments.codes import Action, Code
from simi.payments.models import (
    Bill,
    BillStatus,
    LineReason,
    LineResult,
    Reconciliation,
    ReconciliationLine,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_LINES = 50_000
HEADER = ("date", "billing_code", "amount", "reference")
REFERENCE_PATTERN = re.compile(r"[\x21-\x7e]{1,64}")
MAX_REPORTED_ERRORS = 50


def can_reconcile(actor: Actor) -> bool:
    return actor.is_authenticated and actor.is_office_staff and actor.can("payments:reconcile")


def require_reconciler(actor: Actor) -> User:
    """The reconciling staff member, or PermissionDenied (also for anonymous callers)."""
    if not actor.is_authenticated or not can_reconcile(actor):
        raise PermissionDenied(
            _("Only staff who reconcile payments may import statements."),
            code=Code.NOT_A_RECONCILER,
        )
    return actor


@dataclass(frozen=True)
class StatementLine:
    number: int  # line in the file, the header being line 1
    date: date
    billing_code: str
    amount: int
    reference: str


def _file_error(message: str | Promise, code: ErrorCode) -> ValidationFailed:
    return ValidationFailed.for_field("file", message, code=code)


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise _file_error(
            _("The file is larger than 5 MB; split the statement."), CommonCode.FILE_TOO_LARGE
        )


def decode_statement(raw: bytes) -> str:
    check_size(len(raw))
    if not raw.strip():
        raise _file_error(_("The file is empty."), CommonCode.FILE_EMPTY)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(
            _(
                "The file is not UTF-8 text. In your spreadsheet choose "
                "Save as, CSV UTF-8 (comma delimited), and upload it again."
            ),
            Code.FILE_NOT_UTF8,
        ) from None


def _line_problem(row: list[str]) -> tuple[StatementLine | None, str | Promise]:
    if len(row) != len(HEADER):
        return None, _("expected 4 columns: date, billing_code, amount, reference")
    raw_date, raw_code, raw_amount, raw_reference = (cell.strip() for cell in row)
    try:
        day = date.fromisoformat(raw_date)
        if len(raw_date) != 10:
            raise ValueError
    except ValueError:
        return None, _("the date is not valid (use YYYY-MM-DD)")
    try:
        amount = parse_rupiah(raw_amount)
    except SimiError:
        return None, _("the amount is not a whole number of Rupiah")
    if amount <= 0:
        return None, _("the amount must be more than zero")
    code = billingcodes.clean(raw_code)
    if not code or len(code) > 40:
        return None, _("the billing code is missing or too long")
    if not REFERENCE_PATTERN.fullmatch(raw_reference):
        return None, _("the reference is missing, too long or has spaces")
    return StatementLine(0, day, code, amount, raw_reference), ""


def parse_statement(text: str) -> list[StatementLine]:
    """The lines of a statement, or ValidationFailed naming every bad line."""
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows, None)
    except csv.Error:
        header = None
    if header is None or tuple(cell.strip().lower() for cell in header) != HEADER:
        raise _file_error(
            _("The first line must be the header: date,billing_code,amount,reference"),
            Code.HEADER_INVALID,
        )
    lines: list[StatementLine] = []
    problems: list[str] = []
    try:
        for row in rows:
            number = rows.line_num
            if not any(cell.strip() for cell in row):
                continue  # blank lines (often at the end) mean nothing
            if len(lines) + len(problems) >= MAX_LINES:
                raise _file_error(
                    _("The file has more than 50,000 lines; split the statement."),
                    Code.TOO_MANY_LINES,
                )
            line, problem = _line_problem(row)
            if line is None:
                problems.append(
                    str(_("Line %(number)d: %(problem)s.") % {"number": number, "problem": problem})
                )
            else:
                lines.append(
                    StatementLine(number, line.date, line.billing_code, line.amount, line.reference)
                )
    except csv.Error:
        problems.append(
            str(_("Line %(number)d: the CSV quoting is broken.") % {"number": rows.line_num})
        )
    if problems:
        shown: list[str | Promise] = list(problems[:MAX_REPORTED_ERRORS])
        if len(problems) > MAX_REPORTED_ERRORS:
            shown.append(
                _("... and %(count)d more bad lines.")
                % {"count": len(problems) - MAX_REPORTED_ERRORS}
            )
        raise ValidationFailed(
            _("Some lines of the statement are not valid; nothing was imported."),
            code=Code.STATEMENT_INVALID,
            fields={"file": shown},
        )
    if not lines:
        raise _file_error(_("The statement has no lines after the header."), CommonCode.FILE_EMPTY)
    return lines


def _classify(
    line: StatementLine, bill: Bill | None, seen: set[str], reconciled: set[str]
) -> tuple[str, str]:
    if line.reference in seen:
        return LineResult.DUPLICATE, LineReason.DUPLICATE_IN_FILE
    if line.reference in reconciled:
        return LineResult.DUPLICATE, LineReason.ALREADY_RECONCILED
    if bill is None:
        return LineResult.UNMATCHED, LineReason.UNKNOWN_CODE
    if bill.amount != line.amount:
        return LineResult.UNMATCHED, LineReason.AMOUNT_DIFFERS
    payment = getattr(bill, "payment", None) if bill.status == BillStatus.PAID else None
    if payment is None:
        return LineResult.UNMATCHED, LineReason.NOT_PAID
    if payment.channel_reference != line.reference:
        return LineResult.UNMATCHED, LineReason.REFERENCE_DIFFERS
    return LineResult.MATCHED, LineReason.OK


def _bills_by_code(actor: User, codes: set[str]) -> dict[str, Bill]:
    valid = [code for code in codes if billingcodes.is_valid(code)]
    found: dict[str, Bill] = {}
    visible = scope_by_office(Bill.objects.all(), actor).select_related("payment")
    for start in range(0, len(valid), 500):
        for bill in visible.filter(billing_code__in=valid[start : start + 500]):
            found[bill.billing_code] = bill
    return found


def _already_reconciled(references: set[str]) -> set[str]:
    done: set[str] = set()
    ordered = sorted(references)
    for start in range(0, len(ordered), 500):
        done.update(
            ReconciliationLine.objects.filter(
                result=LineResult.MATCHED, reference__in=ordered[start : start + 500]
            ).values_list("reference", flat=True)
        )
    return done


def _existing_for_key(actor: User, key: str, sha: str) -> Reconciliation | None:
    if not key:
        return None
    previous = Reconciliation.objects.filter(uploaded_by=actor, idempotency_key=key).first()
    if previous is not None and previous.file_sha256 != sha:
        raise ValidationFailed.for_field(
            "Idempotency-Key",
            _("This Idempotency-Key was already used for a different request."),
            code=CommonCode.IDEMPOTENCY_KEY_REUSED,
        )
    return previous


def reconciliation_import(
    *, actor: Actor, file_name: str, content: bytes, idempotency_key: str = ""
) -> tuple[Reconciliation, bool]:
    """Import one statement; returns (reconciliation, created). A retry with
    the same Idempotency-Key and file returns the first report."""
    staff = require_reconciler(actor)
    sha = hashlib.sha256(content).hexdigest()
    previous = _existing_for_key(staff, idempotency_key, sha)
    if previous is not None:
        return previous, False
    lines = parse_statement(decode_statement(content))
    try:
        return _store(staff, file_name, sha, idempotency_key, lines), True
    except IntegrityError:
        # Another import matched one of these references (or took this key)
        # at the same moment; the constraint decided. Nothing of ours stayed.
        previous = _existing_for_key(staff, idempotency_key, sha)
        if previous is not None:
            return previous, False
        raise Conflict(
            _("Another import of the same payments ran at the same time; import again."),
            code=Code.RECONCILIATION_CONCURRENT,
        ) from None


@transaction.atomic
def _store(
    actor: User, file_name: str, sha: str, key: str, lines: list[StatementLine]
) -> Reconciliation:
    bills = _bills_by_code(actor, {line.billing_code for line in lines})
    reconciled = _already_reconciled({line.reference for line in lines})
    seen: set[str] = set()
    rows: list[ReconciliationLine] = []
    for line in lines:
        bill = bills.get(line.billing_code)
        result, reason = _classify(line, bill, seen, reconciled)
        seen.add(line.reference)
        rows.append(
            ReconciliationLine(
                line_number=line.number,
                date=line.date,
                billing_code=line.billing_code,
                amount=line.amount,
                reference=line.reference,
                result=result,
                reason=reason,
                bill=bill,
            )
        )
    counts = {value: sum(1 for row in rows if row.result == value) for value in LineResult.values}
    office = None if actor.sees_all_offices else actor.office
    reconciliation = Reconciliation.objects.create(
        uploaded_by=actor,
        office=office,
        file_name=(file_name or "statement.csv")[-200:],
        file_sha256=sha,
        idempotency_key=key,
        created_at=timezone.now(),
        total_lines=len(rows),
        matched_count=counts[LineResult.MATCHED],
        unmatched_count=counts[LineResult.UNMATCHED],
        duplicate_count=counts[LineResult.DUPLICATE],
    )
    for row in rows:
        row.reconciliation = reconciliation
    ReconciliationLine.objects.bulk_create(rows, batch_size=500)
    audit_record(
        actor=actor,
        action=Action.RECONCILIATION_IMPORTED,
        target=reconciliation,
        data={
            "file_sha256": sha,
            "lines": len(rows),
            "matched": reconciliation.matched_count,
            "unmatched": reconciliation.unmatched_count,
            "duplicate": reconciliation.duplicate_count,
        },
    )
    return reconciliation
