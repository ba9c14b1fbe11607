"""Devices (CCTV analytics units, autogates, kiosks), the nonces and events
they send, and the offline alerts when they fall silent."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simi.core.fields import EncryptedTextField
from simi.core.models import Office, Region, TimeStampedModel


class DeviceKind(models.TextChoices):
    CCTV_ANALYTICS = "cctv_analytics", _("CCTV analytics unit")
    AUTOGATE = "autogate", _("Autogate")
    KIOSK = "kiosk", _("Kiosk")


class DeviceKeyKind(models.TextChoices):
    HMAC = "hmac", _("HMAC-SHA256 shared secret")
    ED25519 = "ed25519", _("Ed25519 public key")


class Device(TimeStampedModel):
    """A CCTV analytics unit, autogate or kiosk that posts signed events.

    Each device has its own key: an HMAC secret (encrypted here, shown once
    when made) or an Ed25519 public key (the device keeps the private key).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DISABLED = "disabled", _("Disabled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DeviceKind.choices)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    kecamatan = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kecamatan"),
        limit_choices_to={"level": Region.Level.DISTRICT},
    )
    location = models.CharField(_("location"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    key_kind = models.CharField(_("key kind"), max_length=10, choices=DeviceKeyKind.choices)
    public_key = models.CharField(_("Ed25519 public key (base64)"), max_length=64, blank=True)
    secret = EncryptedTextField(_("HMAC secret"), null=True, blank=True)
    key_id = models.CharField(_("key id"), max_length=16)
    expected_interval_minutes = models.PositiveSmallIntegerField(
        _("offline after minutes of silence"), default=10
    )
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    rotated_at = models.DateTimeField(_("key set at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DeviceKind.values), name="device_known_kind"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "disabled"]), name="device_known_status"
            ),
            models.CheckConstraint(
                condition=(Q(key_kind="hmac") & Q(secret__isnull=False))
                | (Q(key_kind="ed25519") & ~Q(public_key="")),
                name="device_has_its_key",
            ),
            models.CheckConstraint(
                condition=Q(expected_interval_minutes__gte=1), name="device_interval_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class DeviceNonce(models.Model):
    """A nonce a device used, kept for twice the timestamp window: a replayed
    request inside the window hits the unique constraint."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64)
    received_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "nonce"], name="device_nonce_once")
        ]

    def __str__(self) -> str:
        return f"nonce of device {self.device_id}"


class DeviceEventKind(models.TextChoices):
    FACE_MATCH_CANDIDATE = "face_match_candidate", _("Face match candidate")
    PLATE_READ = "plate_read", _("Plate read")
    GATE_PASSAGE = "gate_passage", _("Gate passage")
    CROWD_COUNT = "crowd_count", _("Crowd count")
    HEARTBEAT = "heartbeat", _("Heartbeat")
    SEAL_SCAN = "seal_scan", _("Permit seal scanned")


class DeviceEvent(models.Model):
    """One event a device reported; (device, event_id) is unique, so a batch
    sent again stores nothing twice. No personal data in clear: a passport
    number is kept only as its blind index, a seal only as its verdict."""

    id = models.BigAutoField(primary_key=True)
    # No index of its own: (device, event_id) and (device, occurred_at) lead with it.
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    event_id = models.CharField(_("event id"), max_length=64)
    kind = models.CharField(_("kind"), max_length=30, choices=DeviceEventKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"))
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    passport_index = models.CharField(max_length=64, blank=True)
    seal_verdict = models.CharField(_("seal verdict"), max_length=16, blank=True)
    document_id = models.UUIDField(_("issued document"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("device event")
        verbose_name_plural = _("device events")
        indexes = [
            models.Index(fields=["device", "-occurred_at"], name="device_event_recent"),
            # Most events carry no passport: index only those that do.
            models.Index(
                fields=["passport_index"],
                condition=~Q(passport_index=""),
                name="device_event_passport",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["device", "event_id"], name="device_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


class DeviceAlert(models.Model):
    """A device silent past its expected interval: one row per outage, closed
    when the device is heard from again."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="alerts")
    opened_at = models.DateTimeField(_("offline since noticed at"))
    silent_since = models.DateTimeField(_("last heard from"))
    closed_at = models.DateTimeField(_("back online at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("device offline alert")
        verbose_name_plural = _("device offline alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(closed_at__isnull=True),
                name="device_one_open_alert",
            )
        ]

    def __str__(self) -> str:
        return f"offline {self.device_id} {self.opened_at:%Y-%m-%d %H:%M}"
