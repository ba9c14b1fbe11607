"""Identity numbers as validated value types: NIK and passport numbers.

Parsing never trusts the caller: it normalizes, checks structure, and raises
``ValidationFailed`` with a localized message naming what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.core.codes import CommonCode
from simi.core.errors import ValidationFailed
from simi.core.referencedata import province_codes

_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True, slots=True)
class Nik:
    """Nomor Induk Kependudukan: PP KK CC DDMMYY SSSS (women: day + 40)."""

    value: str
    province_code: str
    regency_code: str
    district_code: str
    birth_date: date
    sex: str  # "M" or "F"
    serial: str

    def __str__(self) -> str:
        return self.value

    @property
    def region_code(self) -> str:
        """The district code in Kepmendagri form, e.g. ``18.04.04``."""
        return f"{self.province_code}.{self.regency_code}.{self.district_code}"

    @property
    def masked(self) -> str:
        return f"{self.value[:4]}********{self.value[-4:]}"


def parse_nik(raw: str, *, field: str = "nik", today: date | None = None) -> Nik:
    value = _SEPARATORS.sub("", raw or "")
    if not value:
        raise ValidationFailed.for_field(field, _("NIK is required."), code=CommonCode.NIK_REQUIRED)
    if not value.isascii() or not value.isdigit() or len(value) != 16:
        raise ValidationFailed.for_field(
            field, _("NIK must be exactly 16 digits."), code=CommonCode.NIK_FORMAT
        )
    province, regency, district = value[0:2], value[2:4], value[4:6]
    if province not in province_codes():
        raise ValidationFailed.for_field(
            field,
            _("The first two digits of the NIK are not a province code."),
            code=CommonCode.NIK_PROVINCE,
        )
    if regency == "00" or district == "00":
        raise ValidationFailed.for_field(
            field,
            _("The regency or district part of the NIK is not valid."),
            code=CommonCode.NIK_REGION,
        )
    day, month, year2 = int(value[6:8]), int(value[8:10]), int(value[10:12])
    sex = "M"
    if day > 40:
        day -= 40
        sex = "F"
    today = today or timezone.localdate()
    century = 2000 if 2000 + year2 <= today.year else 1900
    try:
        birth_date = date(century + year2, month, day)
    except ValueError:
        raise ValidationFailed.for_field(
            field,
            _("The birth date inside the NIK is not a real date."),
            code=CommonCode.NIK_BIRTH_DATE,
        ) from None
    if birth_date > today:
        raise ValidationFailed.for_field(
            field,
            _("The birth date inside the NIK is in the future."),
            code=CommonCode.NIK_BIRTH_DATE,
        )
    serial = value[12:16]
    if serial == "0000":
        raise ValidationFailed.for_field(
            field, _("The last four digits of the NIK cannot be 0000."), code=CommonCode.NIK_SERIAL
        )
    return Nik(value, province, regency, district, birth_date, sex, serial)


@dataclass(frozen=True, slots=True)
class PassportNumber:
    value: str
    nationality: str  # ISO 3166-1 alpha-3 as in the MRZ, e.g. IDN

    def __str__(self) -> str:
        return self.value


# Indonesian passports: one or two letters then digits, eight characters.
_IDN_PASSPORT = re.compile(r"^[A-Z]{1,2}[0-9]{6,7}$")
# ICAO 9303 document number: up to 9 characters from A-Z and 0-9.
_ICAO_DOCUMENT = re.compile(r"^[A-Z0-9]{5,9}$")


def parse_passport_number(
    raw: str, *, nationality: str, field: str = "passport_number"
) -> PassportNumber:
    value = _SEPARATORS.sub("", raw or "").upper()
    nationality = (nationality or "").strip().upper()
    if not value:
        raise ValidationFailed.for_field(
            field, _("Passport number is required."), code=CommonCode.PASSPORT_REQUIRED
        )
    if not re.fullmatch(r"[A-Z]{3}", nationality):
        raise ValidationFailed.for_field(
            "nationality",
            _("Nationality must be a three-letter ICAO code, e.g. IDN."),
            code=CommonCode.NATIONALITY_FORMAT,
        )
    if nationality == "IDN":
        if len(value) != 8 or not _IDN_PASSPORT.match(value):
            raise ValidationFailed.for_field(
                field,
                _(
                    "An Indonesian passport number is one or two letters followed by digits, "
                    "8 characters (e.g. C1234567)."
                ),
                code=CommonCode.PASSPORT_FORMAT,
            )
    elif not _ICAO_DOCUMENT.match(value) or not any(c.isdigit() for c in value):
        raise ValidationFailed.for_field(
            field,
            _("A passport number has 5 to 9 letters and digits, with at least one digit."),
            code=CommonCode.PASSPORT_FORMAT,
        )
    return PassportNumber(value, nationality)
