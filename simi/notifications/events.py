"""The notification events other domains may raise, and the params each needs.

Params are ids, codes, tracking codes, amounts (integer rupiah) and ISO dates or
datetimes: never personal data (names, NIK, passport numbers, phones,
addresses). The templates under ``templates/notifications/`` turn them into
words in the recipient's language when the message is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    APPLICATION_SUBMITTED = "application_submitted", _("Application submitted")
    DOCUMENTS_REQUESTED = "documents_requested", _("More documents requested")
    APPLICATION_CANCELLED = "application_cancelled", _("Application cancelled")
    BILL_ISSUED = "bill_issued", _("Bill issued")
    BILL_EXPIRING = "bill_expiring", _("Bill about to expire")
    BILL_PAID = "bill_paid", _("Payment received")
    BILL_EXPIRED = "bill_expired", _("Bill expired")
    APPOINTMENT_BOOKED = "appointment_booked", _("Appointment booked")
    APPOINTMENT_RESCHEDULED = "appointment_rescheduled", _("Appointment rescheduled")
    APPOINTMENT_CANCELLED = "appointment_cancelled", _("Appointment cancelled")
    APPOINTMENT_REMINDER = "appointment_reminder", _("Appointment reminder")
    DECISION_APPROVED = "decision_approved", _("Application approved")
    DECISION_REJECTED = "decision_rejected", _("Application rejected")
    READY_FOR_COLLECTION = "ready_for_collection", _("Ready for collection")
    PERMIT_EXPIRING = "permit_expiring", _("Stay permit about to expire")
    PHONE_CODE = "phone_code", _("Verification code for a mobile number")


@dataclass(frozen=True)
class EventSpec:
    """The params an event needs (``required``) and may carry (``optional``)."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset(self.required) | frozenset(self.optional)


# Param names: tracking_code (application tracking code as shown to the
# applicant), service_code (catalog code), due_date (YYYY-MM-DD), billing_code
# (15 digits), amount (int rupiah), expires_at / starts_at (ISO 8601 datetime
# with offset), office_code (core Office.code), booking_code, queue_number,
# reason_code (a stable code of the deciding domain), collect_by (YYYY-MM-DD),
# documents (the catalogue's names of the documents asked for, joined with "; ",
# in the recipient's language: catalogue data, never the applicant's own).
EVENT_SPECS: dict[str, EventSpec] = {
    Event.APPLICATION_SUBMITTED: EventSpec(("tracking_code",), ("service_code", "due_date")),
    Event.DOCUMENTS_REQUESTED: EventSpec(("tracking_code", "due_date"), ("documents",)),
    Event.APPLICATION_CANCELLED: EventSpec(("tracking_code",), ("reason_code",)),
    Event.BILL_ISSUED: EventSpec(("billing_code", "amount", "expires_at"), ("tracking_code",)),
    Event.BILL_EXPIRING: EventSpec(("billing_code", "amount", "expires_at"), ("tracking_code",)),
    Event.BILL_PAID: EventSpec(("billing_code", "amount"), ("tracking_code",)),
    Event.BILL_EXPIRED: EventSpec(("billing_code",), ("tracking_code",)),
    Event.APPOINTMENT_BOOKED: EventSpec(
        ("booking_code", "starts_at", "office_code"), ("queue_number", "tracking_code")
    ),
    Event.APPOINTMENT_RESCHEDULED: EventSpec(
        ("booking_code", "starts_at", "office_code"), ("queue_number", "tracking_code")
    ),
    Event.APPOINTMENT_CANCELLED: EventSpec(
        ("booking_code", "starts_at", "office_code"), ("tracking_code",)
    ),
    Event.APPOINTMENT_REMINDER: EventSpec(
        ("booking_code", "starts_at", "office_code"), ("queue_number", "tracking_code")
    ),
    Event.DECISION_APPROVED: EventSpec(("tracking_code",)),
    Event.DECISION_REJECTED: EventSpec(("tracking_code",), ("reason_code",)),
    Event.READY_FOR_COLLECTION: EventSpec(("tracking_code", "office_code"), ("collect_by",)),
    # permit_kind: oversight PermitKind code; days_before: 30, 7 or 1
    Event.PERMIT_EXPIRING: EventSpec(("permit_kind", "valid_until", "days_before")),
    # code_sealed: the one-time code, encrypted (CODE_CONTEXT); raised by
    # notify_phone_code only, wiped from the row once sent
    Event.PHONE_CODE: EventSpec(("code_sealed",)),
}

# Sealed params are decrypted for the message only (simi.core.crypto).
CODE_CONTEXT = "notifications:phone_code"
