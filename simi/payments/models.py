"""Bills, the payment channels that pay them, the payments they report and
the bank-statement reconciliations that check them.

A bill belongs to an owner in a higher domain, named by data only:
(``purpose``, ``reference``), e.g. ("application", the application's public
id). Payments never imports its owners; what a payment or an expiry means is
theirs to decide through ``settings.SIMI_BILL_HANDLERS`` (``owners.py``).

The workflow lives in ``services.py``; the database backs its invariants:
one unpaid bill per owner, one accepted payment per bill, one payment per
(channel, reference), status tied to its timestamps.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from simi.core.fields import EncryptedTextField
from simi.core.models import Office, TimeStampedModel
from simi.payments import billingcodes


class BillPurpose(models.TextChoices):
    """What a bill pays for: the kind of its owner. Each purpose has its
    handlers in ``settings.SIMI_BILL_HANDLERS[purpose]`` (``owners.py``)."""

    APPLICATION = "application", _("Application fee")
    OVERSTAY_CHARGE = "overstay_charge", _("Overstay charge")


class BillStatus(models.TextChoices):
    UNPAID = "unpaid", _("Awaiting payment")
    PAID = "paid", _("Paid")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class Bill(TimeStampedModel):
    """A bill with a billing code the payer pays at a bank or payment channel.

    ``amount`` and ``lines`` are a snapshot of the fees in force when the bill
    was issued; a later fee change never alters them, and a reissued bill
    copies them from the bill it replaces.
    """

    Status = BillStatus
    Purpose = BillPurpose

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    billing_code = models.CharField(_("billing code"), max_length=15, unique=True, editable=False)
    purpose = models.CharField(_("purpose"), max_length=30, choices=BillPurpose.choices)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="bills", verbose_name=_("office")
    )
    # The owner, with ``purpose``: its public id in its own domain (an
    # application's, an enforcement case's). Data, not a foreign key: the
    # owners live in domains above payments.
    reference = models.CharField(_("owner reference"), max_length=64, editable=False)
    owner_code = models.CharField(
        _("owner code"),
        max_length=40,
        blank=True,
        editable=False,
        help_text=_("What the payer knows the owner by, e.g. an application's tracking code."),
    )
    owner_label_id = models.CharField(
        _("for (Indonesian)"), max_length=300, blank=True, editable=False
    )
    owner_label_en = models.CharField(
        _("for (English)"),
        max_length=300,
        blank=True,
        editable=False,
        help_text=_("Empty: the Indonesian text is shown."),
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bills",
        verbose_name=_("payer account"),
    )
    amount = models.BigIntegerField(_("amount (Rupiah)"))
    lines = models.JSONField(
        _("fee components"),
        default=list,
        help_text=_("component, label_id, label_en, amount, legal_basis as issued"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BillStatus.choices, default=BillStatus.UNPAID
    )
    issued_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("expires at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("expired or cancelled at"),
        null=True,
        blank=True,
        help_text=_("When it stopped being payable."),
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces bill"),
    )
    expiry_reminded_at = models.DateTimeField(_("expiry reminder sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        indexes = [
            models.Index(fields=["payer", "-issued_at"], name="bill_payer_recent"),
            models.Index(fields=["office", "status", "-issued_at"], name="bill_office_status"),
            models.Index(fields=["status", "expires_at"], name="bill_status_expiry"),
            models.Index(fields=["purpose", "reference", "-issued_at"], name="bill_owner_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BillStatus.values), name="bill_known_status"
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=BillPurpose.values), name="bill_known_purpose"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bill_amount_positive"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("issued_at")), name="bill_expires_after_issue"
            ),
            models.CheckConstraint(condition=~Q(reference=""), name="bill_has_owner"),
            # Status and timestamps agree: paid has paid_at only, expired and
            # cancelled have closed_at only, unpaid has neither.
            models.CheckConstraint(
                condition=(
                    Q(status=BillStatus.UNPAID, paid_at__isnull=True, closed_at__isnull=True)
                    | Q(status=BillStatus.PAID, paid_at__isnull=False, closed_at__isnull=True)
                    | Q(
                        status__in=[BillStatus.EXPIRED, BillStatus.CANCELLED],
                        paid_at__isnull=True,
                        closed_at__isnull=False,
                    )
                ),
                name="bill_status_matches_timestamps",
            ),
            models.UniqueConstraint(
                fields=["purpose", "reference"],
                condition=Q(status=BillStatus.UNPAID),
                name="bill_one_unpaid_per_owner",
            ),
            models.UniqueConstraint(
                fields=["replaces"],
                condition=Q(replaces__isnull=False),
                name="bill_reissued_once",
            ),
        ]

    def __str__(self) -> str:
        return self.billing_code

    @property
    def billing_code_display(self) -> str:
        return billingcodes.display(self.billing_code)

    @property
    def is_unpaid(self) -> bool:
        return self.status == BillStatus.UNPAID

    @property
    def is_payable(self) -> bool:
        """Unpaid and its time not up (the expiry job may run minutes later)."""
        return self.status == BillStatus.UNPAID and self.expires_at > timezone.now()

    @property
    def owner_label(self) -> str:
        """What the bill is for, in the active language (English falls back
        to Indonesian); empty when the owner gave no label."""
        language = (translation.get_language() or "id").split("-")[0]
        if language == "en" and self.owner_label_en:
            return self.owner_label_en
        return self.owner_label_id


class PaymentMethod(TimeStampedModel):
    """A way for a payer to pay a billing code ("how to pay"): bank teller,
    ATM, mobile banking, ... with its steps in both languages. Shown to
    payers on the bill page and by ``GET /api/v1/payment-methods``. Data
    shipped in ``data/payment_methods.json`` (sources in ``data/SOURCES.md``),
    editable by administrators. Not a ``PaymentChannel``: a channel is the
    technical sender of signed payment notifications."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    name_id = models.CharField(_("name (Indonesian)"), max_length=150)
    name_en = models.CharField(
        _("name (English)"), max_length=150, blank=True, help_text=_("Empty: Indonesian is shown.")
    )
    steps_id = models.TextField(_("steps (Indonesian)"), help_text=_("One step a line, in order."))
    steps_en = models.TextField(
        _("steps (English)"),
        blank=True,
        help_text=_("One step a line, in order. Empty: the Indonesian steps are shown."),
    )
    source = models.CharField(_("source"), max_length=500)
    is_active = models.BooleanField(_("shown to payers"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("payment method (how to pay)")
        verbose_name_plural = _("payment methods (how to pay)")
        constraints = [
            models.CheckConstraint(condition=~Q(name_id=""), name="payment_method_has_name"),
            models.CheckConstraint(condition=~Q(steps_id=""), name="payment_method_has_steps"),
        ]

    def __str__(self) -> str:
        return self.code

    def _language(self) -> str:
        return (translation.get_language() or "id").split("-")[0]

    @property
    def name(self) -> str:
        """The name in the active language (English falls back to Indonesian)."""
        return self.name_en if self._language() == "en" and self.name_en else self.name_id

    @property
    def steps(self) -> list[str]:
        """The steps in the active language, one per line, blank lines dropped."""
        text = (
            self.steps_en if self._language() == "en" and self.steps_en.strip() else self.steps_id
        )
        return [line.strip() for line in text.splitlines() if line.strip()]


class PaymentChannel(TimeStampedModel):
    """A bank or payment gateway that reports payments, signing each
    notification with its HMAC secret (kept encrypted)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    secret = EncryptedTextField(_("HMAC secret"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("payment channel")
        verbose_name_plural = _("payment channels")

    def __str__(self) -> str:
        return self.code


class Payment(models.Model):
    """A payment reported by a channel: what the bank said, kept for
    reconciliation. One per (channel, reference) and one per bill."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.ForeignKey(
        PaymentChannel, on_delete=models.PROTECT, related_name="payments", verbose_name=_("channel")
    )
    channel_reference = models.CharField(_("channel reference"), max_length=64)
    # Nomor Transaksi Penerimaan Negara: the state-revenue receipt number the
    # payer's receipt shows (16 characters). Empty for a channel that does
    # not send one.
    ntpn = models.CharField(_("receipt number (NTPN)"), max_length=16, blank=True)
    bill = models.OneToOneField(
        Bill, on_delete=models.PROTECT, related_name="payment", verbose_name=_("bill")
    )
    amount = models.BigIntegerField(_("amount (Rupiah)"))
    paid_at = models.DateTimeField(_("paid at (channel)"))
    received_at = models.DateTimeField(_("received at"))
    # What the channel sent, byte for byte: the signed body and its signature
    # time, so a dispute can be settled from the row alone. No personal data.
    raw_body = models.TextField(_("notification body"))
    body_sha256 = models.CharField(_("canonical body SHA-256"), max_length=64)
    signed_timestamp = models.BigIntegerField(_("signature timestamp"))

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "channel_reference"], name="payment_unique_channel_reference"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}:{self.channel_reference}"


class Reconciliation(models.Model):
    """One imported bank statement and the counts of its report."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("imported by"),
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("office"),
        help_text=_("Empty when imported by someone who sees every office."),
    )
    file_name = models.CharField(_("file name"), max_length=200)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    idempotency_key = models.CharField(_("Idempotency-Key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("imported at"))
    total_lines = models.PositiveIntegerField(_("lines"))
    matched_count = models.PositiveIntegerField(_("matched"))
    unmatched_count = models.PositiveIntegerField(_("unmatched"))
    duplicate_count = models.PositiveIntegerField(_("duplicates"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        constraints = [
            models.UniqueConstraint(
                fields=["uploaded_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="reconciliation_unique_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(
                    total_lines=F("matched_count") + F("unmatched_count") + F("duplicate_count")
                ),
                name="reconciliation_counts_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})"


class LineResult(models.TextChoices):
    MATCHED = "matched", _("Matched")
    UNMATCHED = "unmatched", _("Unmatched")
    DUPLICATE = "duplicate", _("Duplicate")


class LineReason(models.TextChoices):
    """Why a line is what it is: codes, translated when shown."""

    OK = "ok", _("Paid in SIMI with the same amount and reference")
    UNKNOWN_CODE = "unknown_code", _("No bill with this billing code")
    AMOUNT_DIFFERS = "amount_differs", _("The amount differs from the bill")
    NOT_PAID = "not_paid", _("The bill is not paid in SIMI")
    REFERENCE_DIFFERS = "reference_differs", _("The bill was paid with another reference")
    DUPLICATE_IN_FILE = "duplicate_in_file", _("The same reference appears earlier in this file")
    ALREADY_RECONCILED = "already_reconciled", _("This reference was reconciled before")


class ReconciliationLine(models.Model):
    """One line of an imported statement and what SIMI found for it."""

    Result = LineResult
    Reason = LineReason

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, related_name="lines"
    )
    line_number = models.PositiveIntegerField(_("line"))
    date = models.DateField(_("date"))
    billing_code = models.CharField(_("billing code"), max_length=40)
    amount = models.BigIntegerField(_("amount (Rupiah)"))
    reference = models.CharField(_("reference"), max_length=64)
    result = models.CharField(_("result"), max_length=10, choices=LineResult.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=LineReason.choices)
    bill = models.ForeignKey(
        Bill, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["reconciliation", "line_number"]
        verbose_name = _("reconciliation line")
        verbose_name_plural = _("reconciliation lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=LineResult.values), name="recon_line_known_result"
            ),
            models.CheckConstraint(
                condition=~Q(result=LineResult.MATCHED) | Q(bill__isnull=False),
                name="recon_line_matched_has_bill",
            ),
            # A reference is reconciled once: a second import of the same
            # statement reports it as a duplicate, and two imports at once
            # cannot both match it.
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(result=LineResult.MATCHED),
                name="recon_line_reference_matched_once",
            ),
            models.UniqueConstraint(
                fields=["reconciliation", "line_number"], name="recon_line_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reconciliation_id}:{self.line_number}"
