"""Lodging places, their reports of foreign guests and uploaded CSV files.

One lodging report per place, passport and check-in (the natural key). Guest
names and passport numbers are encrypted; ``passport_index`` is the blind
index shared with the register's travel documents.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simi.core.fields import EncryptedTextField
from simi.core.models import Office, Region, TimeStampedModel
from simi.oversight.models.register import Foreigner


class LodgingPlace(TimeStampedModel):
    """A place that must report its foreign guests (UU 6/2011 Art. 72)."""

    class Kind(models.TextChoices):
        HOTEL = "hotel", _("Hotel")
        HOMESTAY = "homestay", _("Homestay")
        COMPANY = "company", _("Company housing")
        PRIVATE_HOST = "private_host", _("Private host")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    kecamatan = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kecamatan"),
        limit_choices_to={"level": Region.Level.DISTRICT},
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("overseeing office")
    )
    partners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="lodging_places",
        verbose_name=_("partner accounts"),
        limit_choices_to={"role": "partner"},
    )
    quiet_days_alert = models.PositiveSmallIntegerField(
        _("flag after days without a report"),
        default=14,
        help_text=_("A place that usually reports is listed as stopped after this many days."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("synthetic demo record"), default=False)

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("lodging place")
        verbose_name_plural = _("lodging places")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["hotel", "homestay", "company", "private_host"]),
                name="lodging_place_known_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name


class LodgingImport(TimeStampedModel):
    """One uploaded CSV file of lodging reports and its progress.

    The file's content waits here encrypted until the worker has run it and
    is erased when the import ends (done, rejected or failed); ``errors``
    holds line numbers and codes, never the data. A running job writes
    ``heartbeat_at`` as it goes, so a run whose worker died is told from a
    long one and taken back (``lodging/imports.py``, ``lodging_imports_reap``);
    ``attempts`` counts the runs started.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        VALIDATING = "validating", _("Checking rows")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: nothing imported")
        FAILED = "failed", _("Failed: nothing imported")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    place = models.ForeignKey(LodgingPlace, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checksum = models.CharField(_("SHA-256 of the file"), max_length=64)
    content = EncryptedTextField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("new reports"), default=0)
    updated_count = models.PositiveIntegerField(_("check-outs added"), default=0)
    unchanged_count = models.PositiveIntegerField(_("already reported"), default=0)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    failure = models.CharField(_("why it failed"), max_length=30, blank=True)
    attempts = models.PositiveSmallIntegerField(_("runs started"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of work"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lodging report upload")
        verbose_name_plural = _("lodging report uploads")

    def __str__(self) -> str:
        return f"import {self.public_id}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return int(100 * self.rows_checked / self.rows_total) if self.rows_total else 0


class LodgingReport(TimeStampedModel):
    """A foreign guest as the lodging place reported them.

    One row per (place, passport, check-in): a check-out is reported on the
    same row, and a repeated report changes nothing.
    """

    class Source(models.TextChoices):
        WEB = "web", _("Partner web form")
        API = "api", _("Partner API")
        CSV = "csv", _("CSV upload")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    place = models.ForeignKey(LodgingPlace, on_delete=models.PROTECT, related_name="reports")
    full_name = EncryptedTextField(_("guest name"))
    nationality = models.CharField(_("nationality"), max_length=3)
    passport_number = EncryptedTextField(_("passport number"))
    passport_index = models.CharField(max_length=64, editable=False, db_index=True)
    check_in = models.DateTimeField(_("check-in"))
    check_out = models.DateTimeField(_("check-out"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"))
    is_late = models.BooleanField(_("reported late"), default=False)
    source = models.CharField(_("source"), max_length=3, choices=Source.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lodging_import = models.ForeignKey(
        LodgingImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    foreigner = models.ForeignKey(
        Foreigner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lodging_reports",
        verbose_name=_("matched foreigner"),
    )

    class Meta:
        ordering = ["-check_in", "-id"]
        verbose_name = _("lodging report")
        verbose_name_plural = _("lodging reports")
        indexes = [models.Index(fields=["place", "-reported_at"], name="lodging_place_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "passport_index", "check_in"], name="lodging_report_natural_key"
            ),
            models.CheckConstraint(
                condition=Q(check_out__isnull=True) | Q(check_out__gte=models.F("check_in")),
                name="lodging_report_checkout_after_checkin",
            ),
        ]

    def __str__(self) -> str:
        return f"lodging {self.public_id}"
