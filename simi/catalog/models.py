"""The service catalogue as data: what SIMI offers, for how much, with which
documents, how fast, and how its bills expire. Every value carries where it
comes from (``legal_basis`` / ``source``) and whether it is confirmed, so an
administrator can check and correct it in the admin."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from simi.core.documents import DocumentKind
from simi.core.models import Office, TimeStampedModel


class ApplicantCategory(models.TextChoices):
    CITIZEN = "citizen", _("Indonesian citizens")
    FOREIGNER = "foreigner", _("Foreigners")
    BOTH = "both", _("Citizens and foreigners")


class ServiceKind(models.TextChoices):
    """Kinds are structure (pages group by them, later workflows branch on
    them), so they live in code; the services of each kind are data."""

    PASSPORT = "passport", _("Passport")
    PASSPORT_SURCHARGE = "passport-surcharge", _("Passport surcharges")
    TRAVEL_DOCUMENT = "travel-document", _("Travel document in lieu of a passport (SPLP)")
    VISA_ON_ARRIVAL = "visa-on-arrival", _("Visa on arrival")
    VISIT_STAY_EXTENSION = "visit-stay-extension", _("Visit stay permit (ITK)")
    LIMITED_STAY = "limited-stay", _("Limited stay permit (ITAS)")
    LIMITED_STAY_EXTENSION = "limited-stay-extension", _("Limited stay permit extension")
    PERMANENT_STAY = "permanent-stay", _("Permanent stay permit (ITAP)")
    RE_ENTRY = "re-entry", _("Re-entry permit")


# Charged on top of a main service's fee; never applied for alone.
ADDON_KINDS = frozenset({ServiceKind.PASSPORT_SURCHARGE})


# What issuing an application of a service produces: a kind of the office's one
# vocabulary of issued documents (the register uses the same values), or nothing.
ISSUED_KIND_CHOICES = [("", _("Nothing issued here")), *DocumentKind.choices]


_VALIDITY = r"^[1-9][0-9]{0,2}[dmy]$"


class ServiceType(TimeStampedModel):
    """One service an applicant can apply (or pay) for, e.g. a 5-year e-passport."""

    Kind = ServiceKind

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Stable identifier used by the API and later by bills, e.g. itk-30d."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ServiceKind.choices)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(
        _("name (English)"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the Indonesian name is shown."),
    )
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    applicant_category = models.CharField(
        _("for"), max_length=10, choices=ApplicantCategory.choices
    )
    is_active = models.BooleanField(
        _("published"), default=True, help_text=_("Unticked: hidden from the public catalogue.")
    )
    display_order = models.PositiveSmallIntegerField(_("display order"), default=100)
    offices = models.ManyToManyField(
        Office,
        blank=True,
        related_name="catalog_services",
        verbose_name=_("offered at"),
        help_text=_("Offices and service points that take applications for this service."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    source = models.CharField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("Where this service and the offices offering it come from."),
    )
    issued_kind = models.CharField(
        _("issues"),
        max_length=20,
        choices=ISSUED_KIND_CHOICES,
        blank=True,
        default="",
        help_text=_("The kind of document the workflow issues; empty when nothing is issued here."),
    )
    issued_validity = models.CharField(
        _("validity of what is issued"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(_VALIDITY)],
        help_text=_("A count and a unit from the day of issue: 30d, 6m, 5y."),
    )
    issued_basis = models.CharField(_("legal basis of the validity"), max_length=300, blank=True)

    class Meta:
        ordering = ["display_order", "code"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ServiceKind.values), name="catalog_service_known_kind"
            ),
            models.CheckConstraint(
                condition=Q(applicant_category__in=ApplicantCategory.values),
                name="catalog_service_known_category",
            ),
            models.CheckConstraint(
                condition=Q(issued_kind="", issued_validity="")
                | (~Q(issued_kind="") & Q(issued_validity__regex=_VALIDITY)),
                name="catalog_service_issued_validity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.name_id})"

    @property
    def is_addon(self) -> bool:
        return self.kind in ADDON_KINDS


def _period_is_ordered(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
        name=f"{prefix}_period_ordered",
    )


class Fee(TimeStampedModel):
    """One fee component of a service for one period (``valid_to`` inclusive).

    Periods of the same service and component never overlap: the service
    layer checks it, the database backs it with a unique start date (and on
    PostgreSQL an exclusion constraint, migration 0002). A bill copies the
    amount when it is issued, so a later fee change never alters it.
    """

    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="fees", verbose_name=_("service")
    )
    component = models.SlugField(
        _("component"),
        max_length=40,
        db_index=False,  # the unique (service, component, valid_from) index serves
        blank=True,
        default="",
        help_text=_("Empty for the service's own fee; a code such as 'book' for a further part."),
    )
    label_id = models.CharField(_("label (Indonesian)"), max_length=150, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=150, blank=True)
    amount = models.BigIntegerField(_("amount (Rupiah)"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Last day in force; empty: open-ended.")
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=300, help_text=_("In Indonesian, as bills and pages show it.")
    )
    legal_basis_en = models.CharField(
        _("legal basis (English)"),
        max_length=300,
        blank=True,
        help_text=_("Empty: the Indonesian text is shown."),
    )
    source = models.CharField(_("source"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Unticked: the figure still has to be checked against the regulation."),
    )
    change_reason = models.TextField(
        _("reason for a retroactive change"), blank=True, help_text=_("No personal data.")
    )

    class Meta:
        ordering = ["service_type__display_order", "service_type__code", "component", "valid_from"]
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="catalog_fee_amount_not_negative"
            ),
            _period_is_ordered("catalog_fee"),
            models.UniqueConstraint(
                fields=["service_type", "component", "valid_from"],
                name="catalog_fee_unique_start",
            ),
        ]

    def __str__(self) -> str:
        part = f"/{self.component}" if self.component else ""
        return f"{self.service_type.code}{part} from {self.valid_from}"


class RequiredDocument(TimeStampedModel):
    """A document the applicant brings for a service (or only in a stated case)."""

    service_type = models.ForeignKey(
        ServiceType,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("service"),
    )
    code = models.SlugField(_("code"), max_length=60, db_index=False)  # unique with the service
    name_id = models.CharField(_("name (Indonesian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_mandatory = models.BooleanField(_("mandatory"), default=True)
    condition_id = models.CharField(
        _("only when (Indonesian)"),
        max_length=300,
        blank=True,
        help_text=_("The case in which the document is needed, e.g. only after a name change."),
    )
    condition_en = models.CharField(_("only when (English)"), max_length=300, blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=100)
    is_confirmed = models.BooleanField(_("confirmed"), default=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["service_type", "display_order", "code"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        constraints = [
            models.UniqueConstraint(
                fields=["service_type", "code"], name="catalog_document_unique_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_type.code}: {self.code}"


class SlaRule(TimeStampedModel):
    """The service standard: working days from a complete file to the result."""

    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="sla_rules", verbose_name=_("service")
    )
    working_days = models.PositiveSmallIntegerField(
        _("working days"), help_text=_("0 means on the same day.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Last day in force; empty: open-ended.")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    source = models.CharField(_("source"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_confirmed = models.BooleanField(_("confirmed"), default=True)
    change_reason = models.TextField(
        _("reason for a retroactive change"), blank=True, help_text=_("No personal data.")
    )

    class Meta:
        ordering = ["service_type__display_order", "service_type__code", "valid_from"]
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__lte=365), name="catalog_sla_at_most_a_year"
            ),
            _period_is_ordered("catalog_sla"),
            models.UniqueConstraint(
                fields=["service_type", "valid_from"], name="catalog_sla_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type.code}: {self.working_days} from {self.valid_from}"


class BillingRule(TimeStampedModel):
    """How long a bill for the service stays payable and what happens after."""

    class OnExpiry(models.TextChoices):
        CANCEL = "cancel", _("Cancel the application")
        REISSUE = "reissue", _("Issue a new bill")

    service_type = models.OneToOneField(
        ServiceType,
        on_delete=models.CASCADE,
        related_name="billing_rule",
        verbose_name=_("service"),
    )
    expiry_minutes = models.PositiveIntegerField(
        _("bill expires after (minutes)"), help_text=_("120 = 2 hours; 10080 = 7 days.")
    )
    on_expiry = models.CharField(_("when it expires"), max_length=10, choices=OnExpiry.choices)
    legal_basis = models.CharField(_("legal or operational basis"), max_length=300)
    source = models.CharField(_("source"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_confirmed = models.BooleanField(_("confirmed"), default=True)

    class Meta:
        ordering = ["service_type"]
        verbose_name = _("billing rule")
        verbose_name_plural = _("billing rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(expiry_minutes__gte=1), name="catalog_billing_expiry_positive"
            ),
            models.CheckConstraint(
                condition=Q(on_expiry__in=["cancel", "reissue"]),
                name="catalog_billing_known_on_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type.code}: {self.expiry_minutes} min, {self.on_expiry}"
