"""API schemas of the public service catalogue. Names and descriptions come
in the language of ``Accept-Language`` (id or en; Indonesian when the English
text is missing)."""

import re
from datetime import date
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from simi.catalog.models import ApplicantCategory, BillingRule, ServiceKind

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    # Pydantic would also read "0" or "1700000000" as a Unix time; a query
    # date is YYYY-MM-DD and nothing else.
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_parsing", "Enter a date as YYYY-MM-DD.")


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
ON_DESCRIPTION = "Show the fees and service standard in force on this day (default: today)."


class ServiceFilter(Schema):
    """Filters of the service list; all optional."""

    kind: ServiceKind | None = Field(None, description="Only services of this kind.")
    applicant_category: ApplicantCategory | None = Field(
        None,
        description="citizen or foreigner: services for them, including those for both.",
    )
    office: str | None = Field(
        None,
        max_length=40,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Office code, e.g. ulp-liwa: services offered there.",
    )
    on: IsoDate | None = Field(None, description=ON_DESCRIPTION)


class OnDateFilter(Schema):
    """The day whose fees and service standard to show."""

    on: IsoDate | None = Field(None, description=ON_DESCRIPTION)


class FeeOut(Schema):
    """One fee component in force on the requested day."""

    component: str = Field(..., description="Empty for the service's own fee.")
    label: str
    amount: int = Field(..., description="Whole Rupiah.")
    amount_display: str = Field(..., description="Formatted, e.g. Rp350.000.")
    valid_from: date
    valid_to: date | None = Field(..., description="Last day in force; null: open-ended.")
    legal_basis: str
    source: str
    note: str
    confirmed: bool = Field(..., description="False: still to be checked against the regulation.")


class SlaOut(Schema):
    """The service standard in force on the requested day."""

    working_days: int = Field(
        ..., description="From complete documents to the result; 0: same day."
    )
    legal_basis: str
    note: str
    confirmed: bool


class RequiredDocumentOut(Schema):
    """A document the applicant brings."""

    code: str
    name: str
    description: str
    mandatory: bool
    condition: str = Field(..., description="The case in which it is needed; empty: always.")
    confirmed: bool


class OfficeRefOut(Schema):
    """An office or service point that offers the service."""

    code: str
    name: str


class BillingOut(Schema):
    """How long a bill for the service stays payable."""

    expiry_minutes: int
    on_expiry: BillingRule.OnExpiry
    legal_basis: str


class ServiceOut(Schema):
    """A service of the public catalogue with what applies on the requested day."""

    code: str
    kind: ServiceKind
    applicant_category: ApplicantCategory
    name: str
    description: str
    is_addon: bool = Field(..., description="Charged on top of a main service's fee.")
    on: date = Field(..., description="The day the fees and service standard apply to.")
    fee_total: int | None = Field(
        ..., description="Sum of the fee components in Rupiah; null when no fee is in force."
    )
    fee_total_display: str | None
    fees: list[FeeOut]
    sla: SlaOut | None
    required_documents: list[RequiredDocumentOut]
    offices: list[OfficeRefOut]
    billing: BillingOut | None
