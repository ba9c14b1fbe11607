"""Screening data: watchlists and their entries, imports, review items,
remembered false positives and the switch that stops automatic screening.

No name, birth date or document number is stored in clear: entry names and
birth dates are encrypted; document numbers and the phonetic name keys are
keyed HMAC tokens (see docs/screening.md, "What the database holds").
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simi.core.fields import EncryptedTextField
from simi.core.models import Office, TimeStampedModel


class Watchlist(TimeStampedModel):
    """One list: its kind decides how a document-number hit counts."""

    class Kind(models.TextChoices):
        ENTRY_BAN = "entry_ban", _("Entry ban (penangkalan)")
        PREVENTION = "prevention", _("Exit prevention (pencegahan)")
        WANTED = "wanted", _("Wanted persons (shared by partners)")
        LOST_STOLEN_DOCUMENTS = "lost_stolen_documents", _("Lost or stolen travel documents")
        INTERNATIONAL = "international", _("International list (imported)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    owner_office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner office"),
    )
    owner_agency = models.CharField(
        _("owner agency"), max_length=200, blank=True, help_text=_("When not an office of ours.")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        ordering = ["code"]
        verbose_name = _("watchlist")
        verbose_name_plural = _("watchlists")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "entry_ban",
                        "prevention",
                        "wanted",
                        "lost_stolen_documents",
                        "international",
                    ]
                ),
                name="watchlist_known_kind",
            )
        ]

    def __str__(self) -> str:
        return self.code


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LIVE = "live", _("Live")
    RETIRED = "retired", _("Retired")


class WatchlistEntry(TimeStampedModel):
    """One person (or document) on a list, with its governance.

    ``names``: encrypted JSON list, primary name first. ``name_tokens``:
    keyed HMAC tokens of the phonetic keys (equal keys, equal tokens; the
    names cannot be read back). ``document_tokens``: keyed HMAC of each
    normalized document number. ``fingerprint``: keyed digest of everything
    that matching reads; an import compares it to tell changed from unchanged.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    watchlist = models.ForeignKey(Watchlist, on_delete=models.CASCADE, related_name="entries")
    external_id = models.CharField(_("external id"), max_length=200)
    schema = models.CharField(_("schema"), max_length=40, default="Person")
    names = EncryptedTextField(_("names and aliases"))
    birth_dates = EncryptedTextField(_("birth dates"), null=True, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    document_numbers = EncryptedTextField(_("document numbers"), null=True, blank=True)
    document_tokens = models.JSONField(default=list, blank=True, editable=False)
    name_tokens = models.JSONField(default=list, blank=True, editable=False)
    fingerprint = models.CharField(max_length=64, editable=False)
    # Governance
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    reason = EncryptedTextField(_("reason"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    impact_count = models.PositiveIntegerField(_("people who would hit"), null=True, blank=True)
    impact_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    impact_estimated_at = models.DateTimeField(_("impact estimated at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("list version of the last change"), default=0)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["watchlist", "external_id"]
        verbose_name = _("watchlist entry")
        verbose_name_plural = _("watchlist entries")
        indexes = [models.Index(fields=["status", "watchlist"], name="screening_entry_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["watchlist", "external_id"], name="screening_entry_unique_external_id"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EntryStatus.values), name="screening_entry_known_status"
            ),
            # Nothing goes live without an impact estimate of exactly this content.
            models.CheckConstraint(
                condition=~Q(status="live")
                | (Q(impact_count__isnull=False) & Q(impact_fingerprint=models.F("fingerprint"))),
                name="screening_entry_live_has_impact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.watchlist.code}:{self.external_id}"

    @property
    def impact_is_current(self) -> bool:
        return self.impact_count is not None and self.impact_fingerprint == self.fingerprint


class WatchlistImport(TimeStampedModel):
    """One uploaded watchlist file and its progress; the content is erased
    (set to NULL) when the import ends (done or failed). A running job writes
    ``heartbeat_at`` with each batch, so a run whose worker died is told from
    a long one and failed (``imports.watchlist_imports_reap``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        OPENSANCTIONS = "opensanctions", _("OpenSanctions targets.simple.csv")
        FTM = "ftm", _("FollowTheMoney JSON lines")
        SIMI = "simi", _("SIMI watchlist CSV")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    watchlist = models.ForeignKey(Watchlist, on_delete=models.CASCADE, related_name="imports")
    file_format = models.CharField(_("format"), max_length=16, choices=Format.choices)
    checksum = models.CharField(_("SHA-256 of the file"), max_length=64)
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    content = EncryptedTextField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    added_count = models.PositiveIntegerField(_("added"), default=0)
    changed_count = models.PositiveIntegerField(_("changed"), default=0)
    removed_count = models.PositiveIntegerField(_("removed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    problem_count = models.PositiveIntegerField(_("rows skipped"), default=0)
    problems = models.JSONField(_("problems (line and code)"), default=list, blank=True)
    version = models.PositiveIntegerField(_("list version after the import"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of work"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("watchlist import")
        verbose_name_plural = _("watchlist imports")
        constraints = [
            # One file at a time per list: versions must not interleave.
            models.UniqueConstraint(
                fields=["watchlist"],
                condition=Q(status__in=["queued", "running"]),
                name="screening_one_running_import_per_list",
            )
        ]

    def __str__(self) -> str:
        return f"import {self.public_id}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_read / self.rows_total))


class SubjectType(models.TextChoices):
    APPLICATION = "application", _("Application")
    FOREIGNER = "foreigner", _("Foreigner")
    STAY_PERMIT = "stay_permit", _("Stay permit")
    LODGING_REPORT = "lodging_report", _("Lodging report")


class ReviewItem(TimeStampedModel):
    """Something a human must look at: never a decision by itself.

    ``hits``: [{"entry": uuid, "watchlist": code, "score": float,
    "factors": [[factor, contribution, code], ...]}] - entry ids and
    explanation codes, no names. ``source`` and the ``risk_*`` fields leave
    room for the risk model (issue 6 item 5): a risk score with per-feature
    reasons attaches to the same queue.
    """

    class Source(models.TextChoices):
        WATCHLIST = "watchlist", _("Watchlist match")
        RISK_MODEL = "risk_model", _("Risk score")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ESCALATED = "escalated", _("Escalated")
        CONFIRMED = "confirmed", _("Confirmed match")
        DISMISSED = "dismissed", _("Dismissed (false positive)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.WATCHLIST
    )
    subject_type = models.CharField(_("subject"), max_length=16, choices=SubjectType.choices)
    subject_id = models.UUIDField(_("subject id"))
    # "person:<uuid>" or "passport:<blind index>": who was screened.
    subject_key = models.CharField(max_length=120, editable=False)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    hits = models.JSONField(_("hits"), default=list)
    hits_key = models.CharField(max_length=64, editable=False)
    top_score = models.FloatField(_("top score"), default=0.0)
    index_stamp = models.CharField(max_length=32, blank=True, editable=False)
    subject_fingerprint = models.CharField(max_length=64, editable=False)
    risk_score = models.FloatField(_("risk score"), null=True, blank=True)
    risk_reasons = models.JSONField(_("risk reasons"), default=list, blank=True)
    risk_model_version = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = EncryptedTextField(_("reason for the decision"), null=True, blank=True)

    class Meta:
        ordering = ["-top_score", "created_at", "id"]
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        indexes = [models.Index(fields=["status", "office"], name="screening_review_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "escalated", "confirmed", "dismissed"]),
                name="screening_review_known_status",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "escalated"])
                | (Q(decided_at__isnull=False) & Q(decision_reason__isnull=False)),
                name="screening_review_decision_has_reason",
            ),
            # A repeated job finds the open item instead of opening another.
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "hits_key"],
                condition=Q(status__in=["open", "escalated"]),
                name="screening_review_one_open_per_subject_hits",
            ),
        ]

    def __str__(self) -> str:
        return f"review {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.ESCALATED)


class DismissedPair(models.Model):
    """A false positive a supervisor dismissed: the same subject and entry
    do not return while ``fingerprint`` (a keyed digest of the subject's data
    used and the entry's content) stays the same."""

    subject_key = models.CharField(max_length=120)
    entry = models.ForeignKey(WatchlistEntry, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    review_item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_key", "entry", "fingerprint"], name="screening_dismissed_once"
            )
        ]

    def __str__(self) -> str:
        return f"dismissed {self.subject_key} / {self.entry_id}"


class ScreeningControl(models.Model):
    """The one row of screening settings: the human-oversight switch, the
    review threshold, and the stamp of the live entries (the in-memory
    index of each process is rebuilt when it changes)."""

    SINGLETON = 1

    automatic_enabled = models.BooleanField(_("automatic screening on"), default=True)
    review_threshold = models.FloatField(_("review threshold"), default=0.8)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    skipped_count = models.PositiveIntegerField(_("screenings skipped while off"), default=0)
    # Changes (randomly) whenever the set of live entries changes; a random
    # stamp, not a counter, so a rolled-back change can never be mistaken for
    # a later one that reached the same number.
    index_stamp = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("screening control")
        verbose_name_plural = _("screening control")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="screening_control_singleton"),
            models.CheckConstraint(
                condition=Q(review_threshold__gte=0.6) & Q(review_threshold__lte=1.0),
                name="screening_control_threshold_range",
            ),
        ]

    def __str__(self) -> str:
        return "screening control"


# --- Risk model (issue 6 items 5 and 7) --------------------------------------------


class RiskModel(TimeStampedModel):
    """One trained version of the risk model: its coefficients, how it was
    trained and how well it did. At most one is active; a draft is scored by
    nobody. Coefficients apply to standardized features:
    z = (value - mean) / scale, logit = intercept + sum(coefficient * z)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    class DataSource(models.TextChoices):
        SIMI = "simi", _("SIMI's own history")
        SYNTHETIC = "synthetic", _("Synthetic history (demo)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    data_source = models.CharField(_("training data"), max_length=10, choices=DataSource.choices)
    trained_at = models.DateTimeField(_("trained at"))
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    feature_names = models.JSONField(_("features"), default=list)
    coefficients = models.JSONField(_("coefficients"), default=list)
    intercept = models.FloatField(_("intercept"))
    means = models.JSONField(_("feature means"), default=list)
    scales = models.JSONField(_("feature standard deviations"), default=list)
    l2 = models.FloatField(_("L2 penalty"), default=1.0)
    review_threshold = models.FloatField(_("review threshold"), default=0.5)
    metrics = models.JSONField(_("metrics"), default=dict)
    training_rows = models.PositiveIntegerField(_("training rows"), default=0)
    label_definition = models.TextField(_("label definition"))
    feature_window_start = models.DateField(_("features from"))
    cutoff = models.DateField(_("cutoff (features up to, label after)"))
    label_window_end = models.DateField(_("label up to"))
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("risk model")
        verbose_name_plural = _("risk models")
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="active"), name="risk_model_one_active"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "retired"]),
                name="risk_model_known_status",
            ),
            models.CheckConstraint(
                condition=Q(review_threshold__gt=0) & Q(review_threshold__lt=1),
                name="risk_model_threshold_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(activated_at__isnull=False),
                name="risk_model_active_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"v{self.version}"


class ScreeningRecord(models.Model):
    """One person screened by the automatic job: whether a review item was
    opened and the risk score, with nationality and sex copied in clear for
    the fairness report (they identify nobody alone, like on Person). One
    row per screened subject and person; a repeated job updates it."""

    subject_type = models.CharField(max_length=16, choices=SubjectType.choices)
    subject_id = models.UUIDField()
    subject_key = models.CharField(max_length=120)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    nationality = models.CharField(_("nationality"), max_length=3, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    screened_at = models.DateTimeField(_("screened at"))
    review_item = models.ForeignKey(
        ReviewItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    risk_score = models.FloatField(_("risk score"), null=True, blank=True)
    risk_model_version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-screened_at", "-id"]
        verbose_name = _("screening record")
        verbose_name_plural = _("screening records")
        indexes = [models.Index(fields=["screened_at"], name="screening_record_when")]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "subject_key"],
                name="screening_record_once_per_subject",
            )
        ]

    def __str__(self) -> str:
        return f"screened {self.subject_type} {self.subject_id}"
