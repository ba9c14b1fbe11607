"""Core reference data: regions, offices, calendar exceptions, worker liveness,
and the plumbing tables (scheduled runs, rate counters, idempotency records)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.core.openinghours import validate_opening_hours


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Region(models.Model):
    """An administrative region by its Kepmendagri code (e.g. 18.04.04)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency")
        DISTRICT = "district", _("District (kecamatan)")
        VILLAGE = "village", _("Village (pekon/kelurahan)")

    code = models.CharField(_("code"), max_length=13, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True)
                | models.Q(level__in=["regency", "district", "village"]),
                name="region_only_province_is_root",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Office(TimeStampedModel):
    """An immigration office or one of its service points; data, not code."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Immigration office (Kantor Imigrasi)")
        SERVICE_POINT = "service_point", _("Service point")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_points",
        verbose_name=_("parent office"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # [{"days": [1, 2, 3, 4, 5], "opens": "08:00", "closes": "16:00"}, ...]; days are
    # ISO weekdays (1 = Monday). The office's own published hours (SOURCES.md).
    opening_hours = models.JSONField(
        _("opening hours"),
        default=list,
        blank=True,
        validators=[validate_opening_hours],
        help_text=_(
            'A list of periods, e.g. [{"days": [1, 2, 3, 4, 5], "opens": "08:00", '
            '"closes": "16:00"}]; days 1 (Monday) to 7 (Sunday).'
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="office", parent__isnull=True)
                | models.Q(kind="service_point", parent__isnull=False),
                name="office_service_point_has_parent",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CalendarException(TimeStampedModel):
    """A day the national calendar gets wrong for an office: closure or make-up day.

    Collective leave (cuti bersama) decided late, local closures, or a Saturday
    declared a working day. ``office`` empty means every office.
    """

    date = models.DateField(_("date"))
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("office")
    )
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Ticked: open although a weekend or holiday.")
    )
    reason = models.CharField(_("reason"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "office"], name="calendar_exception_unique_day_office"
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(office__isnull=True),
                name="calendar_exception_unique_national_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


class WorkerHeartbeat(models.Model):
    """Last sign of life of each background worker process (for /healthz)."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)
    # Set when the worker was asked to stop: it takes no new job (so /healthz
    # no longer counts it) but still beats while it finishes the one it has.
    stopping_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return self.worker_id


class ScheduledRun(models.Model):
    """One enqueue of a periodic job for one time slot; the unique pair makes
    sure that of many workers exactly one enqueues it."""

    name = models.CharField(max_length=100)
    slot = models.BigIntegerField(help_text="Start of the period, in seconds since the epoch.")
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-enqueued_at"]
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="scheduled_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.name}@{self.slot}"


class RateCounter(models.Model):
    """Attempts in the current window of one rate limit for one key
    (core.ratelimit.hit). In the database so that every worker process and
    every machine counts together; the key is a keyed hash, never an address
    or a name. UNLOGGED on PostgreSQL: a counter lost in a crash costs nothing."""

    key = models.CharField(max_length=100, primary_key=True)
    count = models.PositiveIntegerField()
    # No index: each attempt would update it, and the hourly purge of ended
    # windows scans a table that only holds the last hour's keys.
    expires_at = models.BigIntegerField(
        help_text="End of the window, in milliseconds since the epoch."
    )

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


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
        # The table kept its name when the model moved here from applications.
        db_table = "applications_idempotencyrecord"
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_unique_owner_key")
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}:{self.key}"
