"""UU 27/2022 (PDP): data-subject requests, retention rules, the breach register."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.core.fields import EncryptedTextField
from simi.core.models import TimeStampedModel
from simi.people.models import Person
from simi.privacy.clocks import hours_left, hours_overdue


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONTAINED = "contained", _("Contained")
    NOTIFIED = "notified", _("Notified")
    CLOSED = "closed", _("Closed")


class IncidentSeverity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class DataSubjectRequestKind(models.TextChoices):
    ACCESS = "access", _("Access and copy of my data")
    CORRECTION = "correction", _("Correction of my data")
    ERASURE = "erasure", _("Erasure of my data")
    RESTRICTION = "restriction", _("Restriction of processing")
    CONSENT_WITHDRAWAL = "consent_withdrawal", _("Withdrawal of consent")


class DataSubjectRequest(TimeStampedModel):
    """A request by a data subject to exercise one of their UU PDP rights."""

    Kind = DataSubjectRequestKind

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Rejected")

    OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)
    CLOSED_STATUSES = (Status.COMPLETED, Status.REJECTED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="privacy_requests",
        verbose_name=_("applicant"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identity record"),
    )
    details = EncryptedTextField(_("details"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due at"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    decision_note = EncryptedTextField(_("decision note"), null=True, blank=True)
    processing_restricted = models.BooleanField(_("processing restricted"), default=False)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        indexes = [models.Index(fields=["status", "due_at"], name="privacy_dsr_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gt=models.F("received_at")), name="privacy_dsr_due_after"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["completed", "rejected"], completed_at__isnull=False)
                | Q(status__in=["received", "in_progress"], completed_at__isnull=True),
                name="privacy_dsr_finished_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def hours_left(self, now: datetime | None = None) -> int:
        return hours_left(self.due_at, now or timezone.now())

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at <= timezone.now()

    @property
    def hours_overdue(self) -> int:
        return hours_overdue(self.due_at, timezone.now())


class RetentionRule(TimeStampedModel):
    """How long SIMI keeps one kind of record; data, edited by administrators."""

    class RecordType(models.TextChoices):
        UNVERIFIED_ACCOUNTS = "unverified_accounts", _("Applicant accounts never verified")
        API_TOKENS = "api_tokens", _("Expired or revoked API tokens")
        TASK_RESULTS = "task_results", _("Finished background-job results")
        WORKER_HEARTBEATS = "worker_heartbeats", _("Stale worker heartbeats")
        CLOSED_REQUESTS = "closed_requests", _("Closed data-subject requests")

    record_type = models.CharField(
        _("record type"), max_length=30, choices=RecordType.choices, unique=True
    )
    retain_days = models.PositiveIntegerField(
        _("retain (days)"),
        help_text=_("Records older than this many days are destroyed by the purge job."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["record_type"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(retain_days__gte=1), name="privacy_retention_at_least_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.retain_days}"


class DataCategory(models.TextChoices):
    """Kinds of personal data an incident can expose; the first six are
    specific (sensitive) data under UU 27/2022 Pasal 4 ayat (2)."""

    HEALTH = "health", _("Health data")
    BIOMETRIC = "biometric", _("Biometric data")
    GENETIC = "genetic", _("Genetic data")
    CRIMINAL_RECORD = "criminal_record", _("Criminal records, incl. entry-ban listings")
    CHILDREN = "children", _("Children's data")
    FINANCIAL = "financial", _("Personal financial data")
    IDENTITY_NUMBERS = "identity_numbers", _("Identity numbers (NIK, passport)")
    CONTACT = "contact", _("Contact data (address, phone, e-mail)")
    IDENTITY = "identity", _("Names, birth dates and other identity data")
    ACCOUNT = "account", _("Account data (log-in, API tokens)")


SPECIFIC_DATA_CATEGORIES = frozenset(
    {
        DataCategory.HEALTH,
        DataCategory.BIOMETRIC,
        DataCategory.GENETIC,
        DataCategory.CRIMINAL_RECORD,
        DataCategory.CHILDREN,
        DataCategory.FINANCIAL,
    }
)


class Incident(TimeStampedModel):
    """A personal-data breach (kegagalan Pelindungan Data Pribadi) and its notices."""

    Severity = IncidentSeverity

    Status = IncidentStatus

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("A short label; no personal data.")
    )
    description = EncryptedTextField(
        _("what happened and how"),
        help_text=_("Stated in the notices to data subjects and to the PDP agency."),
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    discovered_at = models.DateTimeField(_("discovered at"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    data_categories = models.JSONField(_("data categories"), default=list)
    affected_subjects = models.PositiveIntegerField(_("affected data subjects"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    notify_deadline = models.DateTimeField(_("notice deadline"))
    subjects_notified_at = models.DateTimeField(
        _("data subjects notified at"), null=True, blank=True
    )
    authority_notified_at = models.DateTimeField(_("PDP agency notified at"), null=True, blank=True)
    remediation = models.TextField(
        _("handling and recovery"),
        blank=True,
        help_text=_("What SIMI did and does to contain and recover; stated in the notices."),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )

    class Meta:
        ordering = ["notify_deadline", "id"]
        verbose_name = _("personal-data incident")
        verbose_name_plural = _("personal-data incidents")
        constraints = [
            models.CheckConstraint(
                condition=Q(discovered_at__gte=models.F("occurred_at")),
                name="privacy_incident_discovered_after_occurred",
            ),
            models.CheckConstraint(
                condition=Q(notify_deadline__gt=models.F("discovered_at")),
                name="privacy_incident_deadline_after_discovery",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.public_id})"

    @property
    def fully_notified(self) -> bool:
        return self.subjects_notified_at is not None and self.authority_notified_at is not None

    def hours_left(self, now: datetime | None = None) -> int:
        return hours_left(self.notify_deadline, now or timezone.now())

    @property
    def is_overdue(self) -> bool:
        return not self.fully_notified and self.notify_deadline <= timezone.now()

    @property
    def hours_overdue(self) -> int:
        return hours_overdue(self.notify_deadline, timezone.now())

    def data_category_labels(self) -> list[str]:
        labels = dict(DataCategory.choices)
        return [str(labels.get(code, code)) for code in self.data_categories]

    @property
    def has_specific_data(self) -> bool:
        return bool(SPECIFIC_DATA_CATEGORIES.intersection(self.data_categories))
