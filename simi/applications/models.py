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
from simi.core.fields import EncryptedTextField
from simi.core.models import Office, TimeStampedModel
from simi.people.models import Person


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


class RejectReason(models.TextChoices):
    """Why a supervisor refuses: a code shown to the applicant, plus a staff note."""

    DOCUMENTS_INVALID = "documents_invalid", _("The documents are not valid or not genuine")
    NOT_ELIGIBLE = "not_eligible", _("The requirements for this service are not met")
    IDENTITY_DOUBT = "identity_doubt", _("The identity could not be confirmed")
    INTERVIEW = "interview", _("The interview did not support the application")
    OTHER = "other", _("Another reason given in the decision letter")


class SponsorKind(models.TextChoices):
    COMPANY = "company", _("Company or organisation")
    PERSON = "person", _("Person (e.g. spouse or family)")


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
    # What the guided form asks per service (see requirements.required_details):
    # citizens' family card number, foreigners' sponsor (encrypted), and for an
    # extension the permit it extends.
    family_card_number = EncryptedTextField(_("family card (KK) number"), null=True, blank=True)
    sponsor_kind = models.CharField(
        _("sponsor"), max_length=10, choices=SponsorKind.choices, blank=True
    )
    sponsor_name = EncryptedTextField(_("sponsor's name"), null=True, blank=True)
    sponsor_contact = EncryptedTextField(_("sponsor's phone or e-mail"), null=True, blank=True)
    # An extension names the applicant's own permit it extends (found by its
    # number in the register; the number itself stays there, encrypted).
    extends_permit = models.ForeignKey(
        "oversight.StayPermit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("permit to extend"),
    )
    # Officer workflow. Who verified is kept so that the same person cannot
    # approve (segregation of duties).
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    documents_due_date = models.DateField(_("documents due by"), null=True, blank=True)
    biometrics_reference = models.CharField(
        _("biometrics reference"),
        max_length=40,
        blank=True,
        help_text=_("The enrolment station's reference; the biometrics stay in that system."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reject_reason = models.CharField(
        _("reason for refusal"), max_length=30, choices=RejectReason.choices, blank=True
    )
    issued_document = models.OneToOneField(
        "issuance.IssuedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("issued document"),
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["applicant", "-created_at"], name="app_applicant_recent"),
            models.Index(fields=["office", "status", "sla_due_date"], name="app_work_queue"),
        ]
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
            models.CheckConstraint(
                condition=~Q(status__in=[Status.APPROVED, Status.REJECTED])
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="application_decision_has_author",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.REJECTED) | ~Q(reject_reason=""),
                name="application_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.ISSUED, Status.COLLECTED])
                | Q(issued_document__isnull=False, issued_at__isnull=False),
                name="application_issued_has_document",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.COLLECTED) | Q(collected_at__isnull=False),
                name="application_collected_has_time",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | Q(verified_by__isnull=True)
                | ~Q(decided_by=models.F("verified_by")),
                name="application_four_eyes",
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
    VERIFICATION_STARTED = "verification_started", _("An officer is checking the documents")
    DOCUMENTS_REQUESTED = "documents_requested", _("More documents are needed; see the request")
    DOCUMENTS_SENT = "documents_sent", _("The applicant sent the documents asked for")
    VERIFIED = "verified", _("Documents complete; interview and biometrics next")
    INTERVIEWED = "interviewed", _("Interview and biometrics done; a bill was issued")
    INTERVIEWED_NO_FEE = (
        "interviewed_no_fee",
        _("Interview and biometrics done; this service has no fee"),
    )
    PAID = "paid", _("Payment received; the application goes to a supervisor")
    NO_FEE_DUE = "no_fee_due", _("Nothing to pay; the application goes to a supervisor")
    BILL_REISSUED = "bill_reissued", _("The unpaid bill expired; a new bill was issued")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Refused; see the decision letter")
    ISSUED = "issued", _("Document issued; ready for collection")
    COLLECTED = "collected", _("Document collected")
    CANCELLED_UNPAID = "cancelled_unpaid", _("Cancelled: the bill was not paid in time")
    CANCELLED_DOCUMENTS_OVERDUE = (
        "cancelled_documents_overdue",
        _("Cancelled: the documents asked for did not arrive in time"),
    )
    CANCELLED_UNCOLLECTED = (
        "cancelled_uncollected",
        _("Cancelled: the document was not collected within 30 days"),
    )


class ApplicationEvent(models.Model):
    """One step on the public timeline. Holds codes only, never personal data."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), default=timezone.now)
    status_from = models.CharField(_("from"), max_length=30, blank=True)
    status_to = models.CharField(_("to"), max_length=30, choices=Status.choices)
    actor_role = models.CharField(_("by (role)"), max_length=20)
    note = models.CharField(_("note"), max_length=40, choices=EventNote.choices)
    # For staff only: who did it and what they wrote (may hold personal data,
    # so encrypted). The public timeline shows the role and the note code.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    staff_note = EncryptedTextField(_("staff note"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return f"{self.status_from or '-'} -> {self.status_to}"


class DocumentStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class ApplicationDocument(models.Model):
    """One uploaded file for one required document of an application.

    The bytes are encrypted in the storage backend; the row keeps what was
    decided from the content (type, size, pages) and its SHA-256 checksum.
    The file name given by the browser is not kept: it may hold a name.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement_code = models.SlugField(_("required document"), max_length=60)
    storage_name = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    pages = models.PositiveSmallIntegerField(_("pages"), default=1)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.SUBMITTED
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by_role = models.CharField(_("uploaded by (role)"), max_length=20)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["requirement_code", "uploaded_at", "id"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        constraints = [
            # The same file sent twice (a retry) is one document.
            models.UniqueConstraint(
                fields=["application", "requirement_code", "sha256"],
                name="appdoc_unique_content",
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="appdoc_accepted_type",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values), name="appdoc_known_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.requirement_code}/{self.sha256[:12]}"


class DocumentRequest(models.Model):
    """An officer's request for more documents, with a deadline."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for the applicant")
        ANSWERED = "answered", _("Answered")
        EXPIRED = "expired", _("Deadline passed")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="document_requests"
    )
    requirement_codes = models.JSONField(_("documents asked for"))
    message = EncryptedTextField(_("message to the applicant"), blank=True, default="")
    due_date = models.DateField(_("due by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("document request")
        verbose_name_plural = _("document requests")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state="open"),
                name="docrequest_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {', '.join(self.requirement_codes)}"
