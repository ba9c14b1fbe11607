"""Cases of the oversight unit and the administrative actions taken in them.

A ``Case`` gathers the violations of one foreigner (``CaseViolation``: a
violation is in at most one case), with an assignee, a deadline, notes,
evidence files and a timeline of every event. ``ActionType`` rows are data
(``data/actions.csv``, UU 6/2011 Art. 75(2) and Art. 78); an
``AdministrativeAction`` is proposed with written grounds and approved or
rejected by a supervisor who is not the proposer. Workflow lives in
``services.py``, ``actions.py`` and ``evidence.py``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from simi.core.fields import EncryptedTextField
from simi.core.models import Office, TimeStampedModel


class ActionEffect(models.TextChoices):
    RECORD = "record", _("Record the decision and its dates")
    CHARGE = "charge", _("Bill the overstay charge")
    PERMIT_CANCELLATION = "permit_cancellation", _("Cancel the stay permit in the register")
    ENTRY_BAN = "entry_ban", _("List an entry ban")


class OnBillExpiry(models.TextChoices):
    CANCEL = "cancel", _("Cancel the bill")
    REISSUE = "reissue", _("Issue a new bill")


class ActionType(TimeStampedModel):
    """An administrative immigration action the law allows (data, with its basis)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    source = models.CharField(_("source"), max_length=500, blank=True)
    needs_approval = models.BooleanField(_("needs a supervisor's approval"), default=True)
    effect = models.CharField(_("effect"), max_length=20, choices=ActionEffect.choices)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    bill_expiry_minutes = models.PositiveIntegerField(
        _("bill expires after (minutes)"), null=True, blank=True, help_text=_("10080 = 7 days.")
    )
    bill_on_expiry = models.CharField(
        _("when the bill expires"), max_length=10, choices=OnBillExpiry.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("administrative action type")
        verbose_name_plural = _("administrative action types")
        constraints = [
            models.CheckConstraint(
                condition=Q(effect__in=ActionEffect.values), name="action_type_known_effect"
            ),
            models.CheckConstraint(
                condition=~Q(effect="charge")
                | (Q(bill_expiry_minutes__gte=1) & Q(bill_on_expiry__in=OnBillExpiry.values)),
                name="action_type_charge_has_billing_rule",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name_id


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    CLOSED = "closed", _("Closed")


class Case(TimeStampedModel):
    """The oversight unit's file on one foreigner's violations."""

    Status = CaseStatus

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    subject = models.ForeignKey(
        "oversight.Foreigner",
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
        verbose_name=_("foreigner"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    opened_at = models.DateTimeField(_("opened at"))
    due_date = models.DateField(_("due date"))
    summary = EncryptedTextField(_("summary"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    is_demo = models.BooleanField(_("synthetic demo record"), default=False)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["office", "status"], name="case_office_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_known_status"
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="case_closed_has_time",
            ),
            # A foreigner has at most one case that is not closed: a new
            # violation joins it, and two jobs at once cannot open two.
            models.UniqueConstraint(
                fields=["subject"],
                condition=~Q(status="closed"),
                name="case_one_active_per_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.public_id}"

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class CaseViolation(models.Model):
    """A violation found by oversight, in this case (at most one case each)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="violation_links")
    violation = models.OneToOneField(
        "oversight.Violation", on_delete=models.PROTECT, related_name="case_link"
    )
    joined_at = models.DateTimeField(_("joined at"))

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("violation in a case")
        verbose_name_plural = _("violations in cases")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.violation_id}"


class EventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    VIOLATION_JOINED = "violation_joined", _("Violation added")
    ASSIGNED = "assigned", _("Assigned")
    DEADLINE_SET = "deadline_set", _("Deadline changed")
    NOTE_ADDED = "note_added", _("Note added")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    EVIDENCE_VIEWED = "evidence_viewed", _("Evidence opened")
    ACTION_PROPOSED = "action_proposed", _("Action proposed")
    ACTION_APPROVED = "action_approved", _("Action approved")
    ACTION_REJECTED = "action_rejected", _("Action rejected")
    ACTION_EFFECTIVE = "action_effective", _("Action took effect")
    CHARGE_BILLED = "charge_billed", _("Charge billed")
    CHARGE_PAID = "charge_paid", _("Charge paid")
    CHARGE_EXPIRED = "charge_expired", _("Charge bill expired")
    CHARGE_REISSUED = "charge_reissued", _("Charge bill reissued")
    CLOSED = "closed", _("Case closed")


class CaseEvent(models.Model):
    """One line of the case timeline; ``data`` holds ids and codes only."""

    Kind = EventKind

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(_("when"))
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="case_event_known_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"


class CaseNote(models.Model):
    """An officer's note on a case (encrypted: it may name people and places)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return f"note {self.public_id}"


class Evidence(models.Model):
    """A file of evidence: encrypted in the storage backend, checked by content."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = EncryptedTextField(_("description"), null=True, blank=True)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=200, editable=False)
    created_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            # The same file sent twice to a case is one piece of evidence.
            models.UniqueConstraint(fields=["case", "sha256"], name="evidence_unique_per_case")
        ]

    def __str__(self) -> str:
        return f"evidence {self.public_id}"


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class AdministrativeAction(TimeStampedModel):
    """An action proposed in a case; it takes effect once approved."""

    Status = ActionStatus

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    action_type = models.ForeignKey(
        ActionType, on_delete=models.PROTECT, related_name="+", verbose_name=_("action")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PROPOSED
    )
    grounds = EncryptedTextField(_("written grounds"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = EncryptedTextField(_("reasons for the decision"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    permit = models.ForeignKey(
        "oversight.StayPermit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stay permit"),
    )
    bill = models.ForeignKey(
        "payments.Bill",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bill"),
    )
    took_effect_at = models.DateTimeField(_("took effect at"), null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("administrative action")
        verbose_name_plural = _("administrative actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_known_status"
            ),
            models.CheckConstraint(
                condition=Q(status="proposed", decided_at__isnull=True, decided_by__isnull=True)
                | (~Q(status="proposed") & Q(decided_at__isnull=False)),
                name="action_decided_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | Q(decided_by__isnull=False),
                name="action_rejected_has_decider",
            ),
            # Four eyes: whoever proposed an action never decides it.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | Q(proposed_by__isnull=True)
                | ~Q(decided_by=F("proposed_by")),
                name="action_decider_not_proposer",
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=F("effective_from")),
                name="action_effective_order",
            ),
        ]

    def __str__(self) -> str:
        return f"action {self.public_id}"


class EntryBan(TimeStampedModel):
    """A listing on the entry-ban (penangkalan) list, from an approved action.

    The screening domain reads the active ones through
    ``selectors.entry_bans_active()``.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    foreigner = models.ForeignKey(
        "oversight.Foreigner", on_delete=models.PROTECT, related_name="entry_bans"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    action = models.OneToOneField(
        AdministrativeAction, on_delete=models.PROTECT, related_name="entry_ban"
    )
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        ordering = ["-effective_from", "-id"]
        verbose_name = _("entry ban")
        verbose_name_plural = _("entry bans")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=F("effective_from")),
                name="entry_ban_effective_order",
            )
        ]

    def __str__(self) -> str:
        return f"entry ban {self.public_id}"
