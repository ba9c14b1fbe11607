"""People SIMI holds identity data on: one record per natural person, its
identifying values encrypted at rest and found by keyed blind indexes."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from simi.core.fields import EncryptedDateField, EncryptedTextField
from simi.core.models import Region, TimeStampedModel


def initials(full_name: str) -> str:
    """ "Ani Uji Privasi" -> "A. U. P."; the only trace of a holder on the
    public tracking page and in staff lists."""
    return " ".join(f"{word[0].upper()}." for word in full_name.split() if word[0].isalnum())


class Person(TimeStampedModel):
    """A natural person SIMI holds identity data on (applicant, foreigner, ...).

    Every identifying value is encrypted at rest; ``*_index`` columns are keyed
    blind indexes for exact look-ups. Nationality, sex and region stay in clear
    because statistics and fairness reports need them and they identify nobody
    alone.

    A number's index is held by one record at most, and only by the record the
    number is confirmed for: a record may hold a number without its index while
    an officer checks whose it is (an applicant recorded a number another
    record holds, ``accounts.IdentityClaim``), or after the number was
    confirmed as someone else's. Look-ups by number find the holder only.
    """

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Indonesian citizen")
        FOREIGNER = "foreigner", _("Foreigner")

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")
        UNSPECIFIED = "X", _("Unspecified")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    full_name = EncryptedTextField(_("full name"))
    nik = EncryptedTextField(_("NIK"), null=True, blank=True)
    nik_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    passport_number = EncryptedTextField(_("passport number"), null=True, blank=True)
    # Blind index of "<nationality>:<number>": numbers are unique per issuing state.
    # NULL, not "", when absent: the unique constraint must ignore it.
    passport_index = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001
    nationality = models.CharField(
        _("nationality"), max_length=3, help_text=_("ICAO code, e.g. IDN")
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNSPECIFIED)
    birth_date = EncryptedDateField(_("birth date"), null=True, blank=True)
    address = EncryptedTextField(_("address"), null=True, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    phone = EncryptedTextField(_("phone"), null=True, blank=True)
    is_demo = models.BooleanField(_("synthetic demo record"), default=False)

    class Meta:
        # The table kept its name when the model moved here from core.
        db_table = "core_person"
        ordering = ["id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="citizen") | models.Q(nik__isnull=False),
                name="person_citizen_has_nik",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="foreigner") | models.Q(passport_number__isnull=False),
                name="person_foreigner_has_passport",
            ),
            models.UniqueConstraint(fields=["passport_index"], name="person_unique_passport"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id}"

    @property
    def initials(self) -> str:
        """ "S. R." for "Siti Rahmawati": enough for an officer to tell the
        rows of a list apart without the list showing anyone's name."""
        return initials(self.full_name or "")
