"""A passport MRZ pasted by an officer, read and checked (ICAO 9303 TD3).

simi.issuance.mrz parses and lists the failing check digits; this turns
them into a field error that names the digit, and the YYMMDD dates into
real dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.core.errors import ValidationFailed
from simi.issuance import mrz
from simi.oversight.codes import Code

FIELD = "mrz"

# Doc 9303 Part 4: what each check digit guards and where it sits in line 2.
CHECK_MESSAGES: dict[str, Promise] = {
    "document_number": _(
        "The check digit of the document number (line 2, position 10) does not match."
    ),
    "birth_date": _("The check digit of the birth date (line 2, position 20) does not match."),
    "expiry_date": _("The check digit of the expiry date (line 2, position 28) does not match."),
    "optional_data": _(
        "The check digit of the personal number (line 2, position 43) does not match."
    ),
    "composite": _("The composite check digit (line 2, position 44) does not match."),
}


@dataclass(frozen=True)
class PassportReading:
    document_code: str
    issuing_state: str
    nationality: str
    number: str
    full_name: str
    birth_date: date
    sex: str  # M, F or X
    expiry_date: date


def _date(yymmdd: str, *, future_century: bool, field_label: Promise) -> date:
    try:
        year2, month, day = int(yymmdd[0:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
        if future_century:
            century = 2000
        else:
            century = 2000 if 2000 + year2 <= timezone.localdate().year else 1900
        return date(century + year2, month, day)
    except ValueError:
        raise ValidationFailed.for_field(FIELD, field_label, code=Code.MRZ_DATE) from None


def read_passport_mrz(text: str) -> PassportReading:
    """Both lines of a passport MRZ; ValidationFailed on field ``mrz`` naming
    the first failing check digit (all of them are listed)."""
    lines = [line.strip().upper() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise ValidationFailed.for_field(
            FIELD, _("Paste the two lines of the passport's MRZ."), code=Code.MRZ_REQUIRED
        )
    try:
        reading = mrz.parse([line.replace(" ", "") for line in lines])
    except mrz.MrzError:
        raise ValidationFailed.for_field(
            FIELD,
            _(
                "This is not a passport MRZ: paste the two lines of 44 characters "
                "(A-Z, 0-9 and <) from the bottom of the photo page."
            ),
            code=Code.MRZ_FORMAT,
        ) from None
    if reading.format != "TD3":
        raise ValidationFailed.for_field(
            FIELD, _("This MRZ is a visa, not a passport."), code=Code.MRZ_NOT_PASSPORT
        )
    if reading.failed_checks:
        messages: list[str | Promise] = [CHECK_MESSAGES[name] for name in reading.failed_checks]
        raise ValidationFailed(messages[0], code=Code.MRZ_CHECK_DIGIT, fields={FIELD: messages})
    name = " ".join(
        part for part in (reading.secondary_identifier, reading.primary_identifier) if part
    )
    nationality = reading.nationality.replace(mrz.FILLER, "")
    if len(nationality) != 3:
        raise ValidationFailed.for_field(
            FIELD,
            _("The nationality in the MRZ must be a three-letter code."),
            code=Code.MRZ_NATIONALITY,
        )
    return PassportReading(
        document_code=reading.document_code.replace(mrz.FILLER, ""),
        issuing_state=reading.issuing_state.replace(mrz.FILLER, ""),
        nationality=nationality,
        number=reading.document_number,
        full_name=name,
        birth_date=_date(
            reading.birth_date,
            future_century=False,
            field_label=_("The birth date in the MRZ is not a real date."),
        ),
        sex={"M": "M", "F": "F"}.get(reading.sex, "X"),
        expiry_date=_date(
            reading.expiry_date,
            future_century=True,
            field_label=_("The expiry date in the MRZ is not a real date."),
        ),
    )
