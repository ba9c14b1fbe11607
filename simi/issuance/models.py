"""Issued documents and the public keys that sealed them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simi.core.documents import DocumentKind
from simi.core.fields import EncryptedTextField
from simi.core.models import Office, TimeStampedModel
from simi.people.models import Person


class IssuedDocumentStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class IssuedDocument(TimeStampedModel):
    """A document SIMI issued, in the register the public verifies seals against.

    The holder's identity stays in ``core.Person`` (encrypted); for verifiers
    the register keeps only initials and the birth year. The number, the MRZ
    and the seal (which repeats the number) are personal data: encrypted, with
    a blind index for the one exact look-up (uniqueness per kind).
    """

    # The office's one vocabulary of issued documents, shared with the catalogue.
    Kind = DocumentKind

    Status = IssuedDocumentStatus

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    number = EncryptedTextField(_("document number"))
    number_index = models.CharField(max_length=64, editable=False)
    # SET_NULL: erasing a person (UU PDP) must not erase what was issued to them;
    # the register keeps answering verifiers from the summary below.
    holder = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issued_documents",
        verbose_name=_("holder"),
    )
    holder_initials = models.CharField(_("holder initials"), max_length=8, blank=True)
    holder_birth_year = models.PositiveSmallIntegerField(
        _("holder birth year"), null=True, blank=True
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    # Free text may name people: encrypted like any other personal data.
    revocation_reason = EncryptedTextField(_("reason for revocation"), null=True, blank=True)
    mrz_line1 = EncryptedTextField(_("MRZ line 1"), null=True, blank=True)
    mrz_line2 = EncryptedTextField(_("MRZ line 2"), null=True, blank=True)
    # RFC 8785 canonical JSON of the seal's "data"; the signature covers exactly these bytes.
    seal_payload = EncryptedTextField(_("seal payload"))
    seal_signature = models.CharField(_("seal signature"), max_length=100)
    seal_kid = models.CharField(_("seal key id"), max_length=32)
    audit_leaf_index = models.BigIntegerField(_("audit log position"), null=True, blank=True)
    # Filled once the application workflow exists; NULL (not "") when absent.
    application_reference = models.CharField(  # noqa: DJ001
        _("application reference"), max_length=64, null=True, blank=True
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number_index"], name="issued_document_unique_number_per_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="issued_document_validity_ordered",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="valid", revoked_at__isnull=True)
                    | models.Q(status="revoked", revoked_at__isnull=False)
                ),
                name="issued_document_revoked_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id}"


class SealKey(models.Model):
    """A public seal key that has signed documents.

    Kept for good: after the office rotates ``SIMI_SEAL_KEY`` the old public
    key stays listed in keys.json, so seals printed earlier keep verifying.
    ``withdrawn_at`` is for a compromised key: its seals stop verifying.
    """

    kid = models.CharField(_("key id"), max_length=32, unique=True)
    x = models.CharField(max_length=64)  # base64url of the 32-byte affine coordinates
    y = models.CharField(max_length=64)
    first_used_at = models.DateTimeField(_("first used at"))
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["first_used_at", "id"]
        verbose_name = _("seal key")
        verbose_name_plural = _("seal keys")

    def __str__(self) -> str:
        return self.kid
