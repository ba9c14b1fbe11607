"""The register of foreigners, their lodging reports and the violations
the detection jobs find.

Workflow lives in ``services.py``, ``lodging.py`` and ``detection.py``; the
database backs the invariants (one foreigner per person, one overstay
violation per permit, one lodging report per place, passport and check-in).
Names, passport and permit numbers, addresses and contacts are encrypted;
``*_index`` columns are keyed blind indexes for exact look-ups.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simi.core.fields import EncryptedTextField
from simi.core.models import Office, Region, TimeStampedModel
from simi.people.models import Person


class Foreigner(TimeStampedModel):
    """A foreign national known to the office: identity in ``person``
    (encrypted, from simi.core), registered address in Lampung Barat here."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="foreigner", verbose_name=_("person")
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="foreigners",
        verbose_name=_("responsible office"),
    )
    kecamatan = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kecamatan"),
        limit_choices_to={"level": Region.Level.DISTRICT},
    )
    address = EncryptedTextField(_("registered address"), null=True, blank=True)
    is_demo = models.BooleanField(_("synthetic demo record"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("foreigner")
        verbose_name_plural = _("foreigners")

    def __str__(self) -> str:
        return f"foreigner {self.public_id}"


class TravelDocument(TimeStampedModel):
    """A passport (or other travel document) of a foreigner, read from its MRZ."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    foreigner = models.ForeignKey(
        Foreigner, on_delete=models.CASCADE, related_name="travel_documents"
    )
    document_code = models.CharField(_("document code"), max_length=2, default="P")
    number = EncryptedTextField(_("document number"))
    # simi.people.services.passport_index(number, holder nationality): the same
    # key as Person.passport_index, so a lodging report finds its foreigner.
    number_index = models.CharField(max_length=64, unique=True, editable=False)
    issuing_state = models.CharField(_("issuing state"), max_length=3)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)

    class Meta:
        ordering = ["-expiry_date", "-id"]
        verbose_name = _("travel document")
        verbose_name_plural = _("travel documents")

    def __str__(self) -> str:
        return f"{self.document_code} {self.issuing_state} {self.public_id}"


class Sponsor(TimeStampedModel):
    """Who guarantees a foreigner's stay (penjamin): a company or a person."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        PERSON = "person", _("Person")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = EncryptedTextField(_("name"))
    contact = EncryptedTextField(_("contact (phone or e-mail)"), null=True, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("SIMI account"),
    )
    is_demo = models.BooleanField(_("synthetic demo record"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["company", "person"]), name="sponsor_known_kind"
            )
        ]

    def __str__(self) -> str:
        return f"sponsor {self.public_id}"


class PermitKind(models.TextChoices):
    VISA_ON_ARRIVAL = "visa_on_arrival", _("Visa on arrival")
    VISIT = "visit", _("Visit stay permit")
    ITK = "itk", _("ITK (visit stay permit, extended)")
    ITAS = "itas", _("ITAS (limited stay permit)")
    ITAP = "itap", _("ITAP (permanent stay permit)")
    RE_ENTRY = "re_entry", _("Re-entry permit")


class PermitStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class StayPermit(TimeStampedModel):
    """A stay permit with its validity. ``issued_document`` is set when SIMI
    issued it (simi.issuance), which makes attaching it idempotent."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    foreigner = models.ForeignKey(Foreigner, on_delete=models.CASCADE, related_name="permits")
    kind = models.CharField(_("kind"), max_length=20, choices=PermitKind.choices)
    number = EncryptedTextField(_("permit number"))
    number_index = models.CharField(max_length=64, editable=False)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing office")
    )
    sponsor = models.ForeignKey(
        Sponsor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="permits",
        verbose_name=_("sponsor"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PermitStatus.choices, default=PermitStatus.ACTIVE
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    issued_document_id = models.UUIDField(  # simi.issuance IssuedDocument.public_id
        _("issued document"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["-valid_until", "-id"]
        verbose_name = _("stay permit")
        verbose_name_plural = _("stay permits")
        indexes = [models.Index(fields=["status", "valid_until"], name="permit_status_until")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PermitKind.values), name="permit_known_kind"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PermitStatus.values), name="permit_known_status"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="permit_validity_order"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="permit_cancelled_has_time",
            ),
            models.UniqueConstraint(fields=["kind", "number_index"], name="permit_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id}"


class Movement(models.Model):
    """An entry into or exit from Indonesia, at a port (TPI)."""

    class Direction(models.TextChoices):
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    foreigner = models.ForeignKey(Foreigner, on_delete=models.CASCADE, related_name="movements")
    direction = models.CharField(_("direction"), max_length=5, choices=Direction.choices)
    date = models.DateField(_("date"))
    port = models.CharField(_("port"), max_length=100)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("entry or exit")
        verbose_name_plural = _("entries and exits")
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=["entry", "exit"]), name="movement_known_direction"
            ),
            models.UniqueConstraint(
                fields=["foreigner", "direction", "date", "port"], name="movement_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.date}"


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
    is then erased; ``errors`` holds line numbers and codes, never the data.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        VALIDATING = "validating", _("Checking rows")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: nothing imported")

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
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lodging report upload")
        verbose_name_plural = _("lodging report uploads")

    def __str__(self) -> str:
        return f"import {self.public_id}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED)

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


class ViolationKind(models.TextChoices):
    OVERSTAY = "overstay", _("Overstay")
    LODGING_WITHOUT_PERMIT = "lodging_without_permit", _("Lodging without a valid permit")
    ADDRESS_MISMATCH = "address_mismatch", _("Seen away from the registered address")


class ViolationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_CASE = "in_case", _("In a case")
    CLOSED = "closed", _("Closed")


class Violation(TimeStampedModel):
    """Something a detection job found. A later case joins it (status in_case).

    Unique per permit (overstay) and per lodging report (lodging without
    permit), so running a job twice never makes a second one.
    """

    class Escalation(models.IntegerChoices):
        NONE = 0, _("None")
        DEPORTATION = 1, _("Over 60 days: deportation and entry ban (UU 6/2011 Art. 78(3))")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=ViolationKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ViolationStatus.choices, default=ViolationStatus.OPEN
    )
    foreigner = models.ForeignKey(Foreigner, on_delete=models.CASCADE, related_name="violations")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    permit = models.ForeignKey(
        StayPermit, on_delete=models.CASCADE, null=True, blank=True, related_name="violations"
    )
    lodging_report = models.ForeignKey(
        LodgingReport, on_delete=models.CASCADE, null=True, blank=True, related_name="violations"
    )
    detected_on = models.DateField(_("detected on"))
    evaluated_on = models.DateField(_("last evaluated on"))
    overstay_from = models.DateField(_("overstay since"), null=True, blank=True)
    overstay_days = models.PositiveIntegerField(_("days of overstay"), default=0)
    is_running = models.BooleanField(_("still running"), default=False)
    charge_per_day = models.BigIntegerField(_("charge per day (Rupiah)"), default=0)
    charge_total = models.BigIntegerField(_("charge to date (Rupiah)"), default=0)
    escalation = models.PositiveSmallIntegerField(
        _("escalation"), choices=Escalation.choices, default=Escalation.NONE
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-detected_on", "-id"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ViolationKind.values), name="violation_known_kind"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ViolationStatus.values), name="violation_known_status"
            ),
            models.CheckConstraint(
                condition=~Q(kind="overstay") | Q(permit__isnull=False),
                name="violation_overstay_has_permit",
            ),
            models.CheckConstraint(
                condition=~Q(kind="lodging_without_permit") | Q(lodging_report__isnull=False),
                name="violation_lodging_has_report",
            ),
            models.CheckConstraint(
                condition=Q(charge_total__gte=0) & Q(charge_per_day__gte=0),
                name="violation_charge_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(escalation=0) | Q(escalated_at__isnull=False),
                name="violation_escalated_has_time",
            ),
            models.UniqueConstraint(
                fields=["permit"],
                condition=Q(kind="overstay"),
                name="violation_one_overstay_per_permit",
            ),
            models.UniqueConstraint(
                fields=["lodging_report"],
                condition=Q(kind="lodging_without_permit"),
                name="violation_one_per_lodging_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id}"


class PermitReminder(models.Model):
    """A permit expiring soon: one row per permit and threshold (30, 7, 1 days).

    ``notified_at`` stays empty until a notification is sent for it.
    """

    permit = models.ForeignKey(StayPermit, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    due_on = models.DateField(_("permit valid until"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("permit expiry reminder")
        verbose_name_plural = _("permit expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["permit", "days_before"], name="permit_reminder_once_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.permit_id}-{self.days_before}"


# --- Sightings and devices (issue #5 item 3) -----------------------------------


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


class SealVerdict(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    NOT_YET_VALID = "not_yet_valid", _("Not yet valid")
    FORGED = "forged", _("Forged")


class Sighting(TimeStampedModel):
    """A field report by a patrol or Timpora member: who was seen, where, when.

    The person seen is a register foreigner, a passport number (matched by
    blind index) or a permit seal verified on the spot. A known foreigner seen
    in another kecamatan than the registered one is flagged and gets one
    ``address_mismatch`` violation.
    """

    class Subject(models.TextChoices):
        FOREIGNER = "foreigner", _("A foreigner in the register")
        PASSPORT = "passport", _("A passport number")
        SEAL = "seal", _("A permit QR seal")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seen_at = models.DateTimeField(_("seen at"))
    kecamatan = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kecamatan"),
        limit_choices_to={"level": Region.Level.DISTRICT},
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    note = EncryptedTextField(_("note"), null=True, blank=True)
    subject = models.CharField(_("person seen"), max_length=10, choices=Subject.choices)
    foreigner = models.ForeignKey(
        Foreigner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sightings",
        verbose_name=_("matched foreigner"),
    )
    passport_number = EncryptedTextField(_("passport number"), null=True, blank=True)
    passport_nationality = models.CharField(_("nationality"), max_length=3, blank=True)
    passport_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    seal_verdict = models.CharField(
        _("seal verdict"), max_length=16, choices=SealVerdict.choices, blank=True
    )
    seal_reason = models.CharField(_("why forged"), max_length=20, blank=True)
    document_id = models.UUIDField(_("issued document"), null=True, blank=True)
    photo_name = models.CharField(max_length=200, blank=True, editable=False)
    photo_type = models.CharField(max_length=20, blank=True, editable=False)
    photo_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    address_mismatch = models.BooleanField(_("away from the registered address"), default=False)
    violation = models.OneToOneField(
        Violation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sighting",
        verbose_name=_("violation"),
    )

    class Meta:
        ordering = ["-seen_at", "-id"]
        verbose_name = _("sighting")
        verbose_name_plural = _("sightings")
        indexes = [models.Index(fields=["office", "-seen_at"], name="sighting_office_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject__in=["foreigner", "passport", "seal"]),
                name="sighting_known_subject",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="sighting_gps_both_or_neither",
            ),
            models.CheckConstraint(
                condition=~Q(subject="seal") | ~Q(seal_verdict=""),
                name="sighting_seal_has_verdict",
            ),
            models.CheckConstraint(
                condition=~Q(subject="passport") | ~Q(passport_index=""),
                name="sighting_passport_has_index",
            ),
        ]

    def __str__(self) -> str:
        return f"sighting {self.public_id}"
