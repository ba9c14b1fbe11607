"""Sightings: field reports by patrols and Timpora members."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simi.core.fields import EncryptedTextField
from simi.core.models import Office, Region, TimeStampedModel
from simi.oversight.models.register import Foreigner
from simi.oversight.models.violations import Violation


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
