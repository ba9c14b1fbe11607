"""API schemas of applications and public tracking."""

import uuid
from datetime import date, datetime

from ninja import Field, Schema

from simi.applications.models import CancelReason


class ApplicationCreateIn(Schema):
    """Start a draft application for a catalogue service at one office.

    Your identity data (My account, Identity) must be entered first.
    """

    service: str = Field(
        ..., min_length=1, max_length=60, description="Service code, e.g. passport-ordinary-5y."
    )
    office: str = Field(..., min_length=1, max_length=60, description="Office code, e.g. ulp-liwa.")


class ApplicationCancelIn(Schema):
    """Withdraw a draft or a registered application."""

    reason: CancelReason = Field(..., description="Why you cancel (a code).")


class ApplicationOut(Schema):
    """An application as its applicant sees it."""

    id: uuid.UUID
    status: str
    tracking_code: str | None = Field(
        ..., description="XXXX-XXXX-XXXX-CC, set when the application is submitted."
    )
    service: str = Field(..., description="Service code.")
    office: str = Field(..., description="Office code.")
    fee_total_at_submit: int | None = Field(
        ..., description="Whole Rupiah in force on the day of submission; never changes after."
    )
    sla_working_days: int | None
    sla_due_date: date | None
    created_at: datetime
    submitted_at: datetime | None
    cancelled_at: datetime | None


class TimelineStepOut(Schema):
    """One step of the public status timeline."""

    at: datetime
    status: str
    status_label: str
    note: str = Field(..., description="A stable code.")
    note_label: str = Field(..., description="The note in the caller's language.")


class TrackingOut(Schema):
    """The public view of an application: no personal data beyond initials."""

    tracking_code: str
    status: str
    status_label: str
    service_name: str
    office_name: str
    holder_initials: str = Field(..., description="First letters of the holder's name, e.g. A. U.")
    submitted_at: datetime | None
    sla_due_date: date | None
    timeline: list[TimelineStepOut]
