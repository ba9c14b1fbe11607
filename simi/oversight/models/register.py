"""The register of foreigners: people, their passports, sponsors, stay
permits, entries and exits, and the expiry reminders of permits.

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
    # continued by a later permit (``StayPermit.extends``); still valid up to its last day
    EXTENDED = "extended", _("Extended")


class StayPermit(TimeStampedModel):
    """A stay permit with its validity. ``issued_document`` is set when SIMI
    issued it (simi.issuance), which makes attaching it idempotent.

    ``extends`` chains an extension to the permit it continues (same
    foreigner, starting the day after that one ends); the extended permit's
    status is then ``extended``. A permit has at most one extension that is
    not cancelled.
    """

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
    extends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="extensions",
        editable=False,
        verbose_name=_("extends"),
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
            models.UniqueConstraint(
                fields=["extends"],
                condition=Q(extends__isnull=False) & ~Q(status="cancelled"),
                name="permit_extended_once",
            ),
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
