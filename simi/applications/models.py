"""Applications for a catalogue service, their public timeline and the
stored answers that make retried POSTs idempotent.

The workflow lives in ``services.py``; the database backs its invariants.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.core import trackingcodes
from simi.core.models import Office, Person, TimeStampedModel


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REGISTERED = "registered", _("Registered")
    VERIFYING = "verifying", _("Being verified")
    MORE_DOCUMENTS_REQUESTED = "more_documents_requested", _("More documents requested")
    INTERVIEW = "interview", _("Interview and biometrics")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ISSUED = "issued", _("Issued")
    COLLECTED = "collected", _("Collected")
    CANCELLED = "cancelled", _("Cancelled")


class CancelReason(models.TextChoices):
    """Why an applicant cancels: a code, so the timeline holds no free text."""

    NO_LONGER_NEEDED = "no_longer_needed", _("I no longer need it")
    WRONG_SERVICE = "wrong_service", _("I chose the wrong service or office")
    DUPLICATE = "duplicate", _("I applied twice")
    OTHER = "other", _("Another reason")


class Application(TimeStampedModel):
    """One application of one applicant for one service at one office."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Set at submission: 14 canonical symbols (simi.core.trackingcodes).
    tracking_code = models.CharField(
        _("tracking code"), max_length=14, unique=True, null=True, blank=True, editable=False
    )
    service_type = models.ForeignKey(
        "catalog.ServiceType",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("service"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant account"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("identity record"),
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="applications", verbose_name=_("office")
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.DRAFT
    )
    fee_total_at_submit = models.BigIntegerField(
        _("fee at submission (Rupiah)"),
        null=True,
        blank=True,
        help_text=_(
            "The fees in force on the day of submission; later fee changes never alter it."
        ),
    )
    sla_working_days = models.PositiveSmallIntegerField(
        _("service standard (working days)"), null=True, blank=True
    )
    sla_due_date = models.DateField(_("due date"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["applicant", "-created_at"], name="app_applicant_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="application_known_status"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT)
                | Q(status=Status.CANCELLED, submitted_at__isnull=True)
                | Q(
                    tracking_code__isnull=False,
                    submitted_at__isnull=False,
                    person__isnull=False,
                    fee_total_at_submit__isnull=False,
                    sla_due_date__isnull=False,
                ),
                name="application_submitted_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(fee_total_at_submit__isnull=True) | Q(fee_total_at_submit__gte=0),
                name="application_fee_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CANCELLED) | Q(cancelled_at__isnull=False),
                name="application_cancelled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type_id}/{self.public_id}"

    @property
    def tracking_code_display(self) -> str:
        return trackingcodes.display(self.tracking_code) if self.tracking_code else ""

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def can_cancel(self) -> bool:
        return self.status in (Status.DRAFT, Status.REGISTERED)


class EventNote(models.TextChoices):
    """Public notes on the timeline: codes translated when shown."""

    CREATED = "created", _("Draft started")
    SUBMITTED = "submitted", _("Application submitted; the service standard clock is running")
    CANCELLED_NO_LONGER_NEEDED = "cancelled_no_longer_needed", _("Cancelled: no longer needed")
    CANCELLED_WRONG_SERVICE = "cancelled_wrong_service", _("Cancelled: wrong service or office")
    CANCELLED_DUPLICATE = "cancelled_duplicate", _("Cancelled: applied twice")
    CANCELLED_OTHER = "cancelled_other", _("Cancelled by the applicant")


class ApplicationEvent(models.Model):
    """One step on the public timeline. Holds codes only, never personal data."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), default=timezone.now)
    status_from = models.CharField(_("from"), max_length=30, blank=True)
    status_to = models.CharField(_("to"), max_length=30, choices=Status.choices)
    actor_role = models.CharField(_("by (role)"), max_length=20)
    note = models.CharField(_("note"), max_length=40, choices=EventNote.choices)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return f"{self.status_from or '-'} -> {self.status_to}"


class IdempotencyRecord(models.Model):
    """The stored answer to a POST sent with an ``Idempotency-Key``.

    Unique per (owner, key): when two identical requests race, the database
    picks the one that runs. Kept 24 hours (``idempotency.purge_expired``).
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=100)
    fingerprint = models.CharField(_("request fingerprint (SHA-256)"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("response status"))
    response_body = models.JSONField(_("response body"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_unique_owner_key")
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}:{self.key}"
