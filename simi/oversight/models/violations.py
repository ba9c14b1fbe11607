"""Violations the detection jobs and sightings find; a case may join one.

The database backs the invariants: one overstay violation per permit, one
lodging violation per lodging report.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simi.core.models import Office, TimeStampedModel
from simi.oversight.models.lodging import LodgingReport
from simi.oversight.models.register import Foreigner, StayPermit


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
