"""Lodging reports (the APOA duty, UU 6/2011 Art. 72): one guest at a time
from the partner form or API; CSV files go through ``imports.py``.

A report is keyed by (place, passport, check-in): reporting it again changes
nothing, and the same row with a check-out records the check-out. Every way
in checks a guest with ``clean_guest``. Reports more than 24 hours after
check-in are flagged late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.audit.services import audit_record
from simi.core.codes import CommonCode, ErrorCode
from simi.core.errors import Conflict, NotFound, ValidationFailed
from simi.oversight.access import require_reporter
from simi.oversight.codes import Action, Code
from simi.oversight.models import LodgingImport, LodgingPlace, LodgingReport, TravelDocument
from simi.people.services import passport_index
from simi.screening.flows import request_screening as _request_screening

LATE_AFTER = timedelta(hours=24)  # UU 6/2011 Art. 72, operational rule: 1x24 hours
FUTURE_TOLERANCE = timedelta(minutes=10)

# Row problems by code; the message is looked up when shown, in the reader's language.
ROW_ERRORS: dict[str, Promise] = {
    CommonCode.NAME_REQUIRED: _("The guest's name is empty."),
    CommonCode.NAME_TOO_LONG: _("The guest's name is longer than 150 characters."),
    CommonCode.NATIONALITY_FORMAT: _("The nationality must be a three-letter code, e.g. AUS."),
    CommonCode.PASSPORT_REQUIRED: _("The passport number is empty."),
    CommonCode.PASSPORT_FORMAT: _("The passport number is not valid for this nationality."),
    Code.CHECK_IN_REQUIRED: _("The check-in time is empty."),
    Code.CHECK_IN_FORMAT: _("The check-in is not a date and time like 2026-11-20 14:30."),
    Code.CHECK_IN_FUTURE: _("The check-in is in the future."),
    Code.CHECK_OUT_FORMAT: _("The check-out is not a date and time like 2026-11-22 10:00."),
    Code.CHECK_OUT_BEFORE_CHECK_IN: _("The check-out is before the check-in."),
    Code.CHECK_OUT_FUTURE: _("The check-out is in the future."),
    Code.CHECK_OUT_CONFLICT: _("This stay was already reported with another check-out."),
    Code.DUPLICATE_IN_FILE: _("The same guest and check-in is already on an earlier line."),
    Code.COLUMNS: _("The row does not have the five columns of the header."),
}
FIELD_OF: dict[str, str] = {
    CommonCode.NAME_REQUIRED: "full_name",
    CommonCode.NAME_TOO_LONG: "full_name",
    CommonCode.NATIONALITY_FORMAT: "nationality",
    CommonCode.PASSPORT_REQUIRED: "passport_number",
    CommonCode.PASSPORT_FORMAT: "passport_number",
    Code.CHECK_IN_REQUIRED: "check_in",
    Code.CHECK_IN_FORMAT: "check_in",
    Code.CHECK_IN_FUTURE: "check_in",
    Code.CHECK_OUT_FORMAT: "check_out",
    Code.CHECK_OUT_BEFORE_CHECK_IN: "check_out",
    Code.CHECK_OUT_FUTURE: "check_out",
    Code.CHECK_OUT_CONFLICT: "check_out",
}


def row_error_message(code: str) -> str:
    """The message of a row problem's code (as stored with the import)."""
    return str(ROW_ERRORS.get(code, ROW_ERRORS[Code.COLUMNS]))


# --- Whose place -------------------------------------------------------------


def place_for_reporter(*, actor: Actor, code: str) -> LodgingPlace:
    """One of the partner's own places; any other answers NotFound."""
    partner = require_reporter(actor)
    place = LodgingPlace.objects.filter(code=code, partners=partner, is_active=True).first()
    if place is None:
        raise NotFound()
    return place


# --- One row -----------------------------------------------------------------


@dataclass(frozen=True)
class GuestData:
    """What the lodging place says about one guest, as entered."""

    full_name: str
    nationality: str
    passport_number: str
    check_in: datetime | str | None
    check_out: datetime | str | None = None


@dataclass
class CleanGuest:
    full_name: str
    nationality: str
    passport_number: str
    passport_index: str
    check_in: datetime
    check_out: datetime | None


def _moment(value: datetime | str | None) -> datetime | None:
    """A check-in/out time; naive times are local (Asia/Jakarta)."""
    if value is None or isinstance(value, datetime):
        moment = value
    else:
        text = value.strip()
        if not text:
            return None
        if len(text) < 16:  # a date alone is not enough: the 24 hours need the hour
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def clean_guest(data: GuestData, *, now: datetime) -> tuple[CleanGuest | None, list[ErrorCode]]:
    """The cleaned row, or the codes of everything wrong with it."""
    codes: list[ErrorCode] = []
    name = " ".join((data.full_name or "").split())
    if not name:
        codes.append(CommonCode.NAME_REQUIRED)
    elif len(name) > 150:
        codes.append(CommonCode.NAME_TOO_LONG)
    nationality = (data.nationality or "").strip().upper()
    number = "".join((data.passport_number or "").split()).upper()
    index = ""
    if len(nationality) != 3 or not nationality.isascii() or not nationality.isalpha():
        codes.append(CommonCode.NATIONALITY_FORMAT)
    elif not number:
        codes.append(CommonCode.PASSPORT_REQUIRED)
    else:
        try:
            index = passport_index(number, nationality)
        except ValidationFailed:
            codes.append(CommonCode.PASSPORT_FORMAT)
    check_in = check_out = None
    try:
        check_in = _moment(data.check_in)
    except ValueError:
        codes.append(Code.CHECK_IN_FORMAT)
    else:
        if check_in is None:
            codes.append(Code.CHECK_IN_REQUIRED)
        elif check_in > now + FUTURE_TOLERANCE:
            codes.append(Code.CHECK_IN_FUTURE)
    try:
        check_out = _moment(data.check_out)
    except ValueError:
        codes.append(Code.CHECK_OUT_FORMAT)
    else:
        if check_out is not None and check_in is not None and check_out < check_in:
            codes.append(Code.CHECK_OUT_BEFORE_CHECK_IN)
        elif check_out is not None and check_out > now + FUTURE_TOLERANCE:
            codes.append(Code.CHECK_OUT_FUTURE)
    if codes or check_in is None:
        return None, codes
    return CleanGuest(name, nationality, number, index, check_in, check_out), []


def matching_foreigners(indexes: set[str]) -> dict[str, int]:
    found = TravelDocument.objects.filter(number_index__in=indexes).values_list(
        "number_index", "foreigner_id"
    )
    return dict(found)


def new_report(
    place: LodgingPlace,
    guest: CleanGuest,
    *,
    actor: Actor | None,
    source: str,
    reported_at: datetime,
    foreigner_id: int | None,
    lodging_import: LodgingImport | None = None,
) -> LodgingReport:
    return LodgingReport(
        place=place,
        full_name=guest.full_name,
        nationality=guest.nationality,
        passport_number=guest.passport_number,
        passport_index=guest.passport_index,
        check_in=guest.check_in,
        check_out=guest.check_out,
        reported_at=reported_at,
        is_late=reported_at - guest.check_in > LATE_AFTER,
        source=source,
        reported_by=actor if actor is not None and actor.is_authenticated else None,
        lodging_import=lodging_import,
        foreigner_id=foreigner_id,
    )


@dataclass(frozen=True)
class ReportOutcome:
    report: LodgingReport
    outcome: str  # "created", "checked_out" or "unchanged"


@transaction.atomic
def lodging_report_submit(
    *, actor: Actor, place: LodgingPlace, data: GuestData, source: str
) -> ReportOutcome:
    """Report one guest (check-in, and the check-out when known).

    The same guest and check-in again changes nothing; with a check-out it
    records the check-out. A different check-out than the one reported is a
    conflict.
    """
    partner = require_reporter(actor)
    if not place.partners.filter(pk=partner.pk).exists():
        raise NotFound()
    now = timezone.now()
    guest, codes = clean_guest(data, now=now)
    if guest is None:
        fields: dict[str, list[str | Promise]] = {}
        for code in codes:
            fields.setdefault(FIELD_OF.get(code, "non_field"), []).append(ROW_ERRORS[code])
        raise ValidationFailed(fields=fields)
    existing = (
        LodgingReport.objects.select_for_update(no_key=True)
        .filter(place=place, passport_index=guest.passport_index, check_in=guest.check_in)
        .first()
    )
    if existing is not None:
        return _apply_check_out(actor, existing, guest.check_out)
    foreigner_id = matching_foreigners({guest.passport_index}).get(guest.passport_index)
    report = new_report(
        place, guest, actor=actor, source=source, reported_at=now, foreigner_id=foreigner_id
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # the same report, sent twice at once
        raise Conflict(
            _("The same report is being processed; try again shortly."),
            code=Code.REPORT_IN_PROGRESS,
        ) from None
    audit_record(
        actor=actor,
        action=Action.LODGING_REPORTED,
        target=report,
        data={
            "place": place.code,
            "source": source,
            "late": report.is_late,
            "matched": foreigner_id is not None,
        },
    )
    _request_screening(subject_type="lodging_report", subject_id=report.pk)
    return ReportOutcome(report, "created")


def _apply_check_out(
    actor: Actor, report: LodgingReport, check_out: datetime | None
) -> ReportOutcome:
    if check_out is None or report.check_out == check_out:
        return ReportOutcome(report, "unchanged")
    if report.check_out is not None:
        message = ROW_ERRORS[Code.CHECK_OUT_CONFLICT]
        raise Conflict(message, code=Code.CHECK_OUT_CONFLICT, fields={"check_out": [message]})
    report.check_out = check_out
    report.save(update_fields=["check_out", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.LODGING_CHECKED_OUT,
        target=report,
        data={"place": report.place.code},
    )
    return ReportOutcome(report, "checked_out")
