"""Office schedules, quotas, bookings and the queue at the counter.

Schedules and quotas are data an administrator edits (with effective dates);
bookings and queue tickets are written only by ``services.py``. The database
backs the invariants: one upcoming booking per application, one reschedule,
unique booking codes and queue numbers, and a lock row per bookable place
(``SlotLock``) that decides who gets the last one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from simi.catalog.models import ServiceKind
from simi.core.models import Office, TimeStampedModel


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def _period_ordered(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name=name
    )


class BookingSettings(TimeStampedModel):
    """Per-office booking rules; an office without a row uses the defaults
    (``SIMI_APPOINTMENT_WINDOW_DAYS``, 30 days)."""

    office = models.OneToOneField(
        Office,
        on_delete=models.CASCADE,
        related_name="booking_settings",
        verbose_name=_("office"),
    )
    window_days = models.PositiveSmallIntegerField(
        _("booking window (days)"),
        default=30,
        help_text=_("How many days ahead applicants may book, counted from today."),
    )

    class Meta:
        ordering = ["office__code"]
        verbose_name = _("booking settings")
        verbose_name_plural = _("booking settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(window_days__gte=1, window_days__lte=366),
                name="appointments_window_1_to_366_days",
            )
        ]

    def __str__(self) -> str:
        return f"{self.office.code}: {self.window_days}"


class Session(TimeStampedModel):
    """A named part of an office's day, e.g. morning or afternoon. Its hours
    per weekday are ``SessionHours`` rows: no row, no session that weekday."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("office")
    )
    code = models.SlugField(_("code"), max_length=30, db_index=False)
    name_id = models.CharField(_("name (Indonesian)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=10)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["office__code", "display_order", "code"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="appointments_session_code")
        ]

    def __str__(self) -> str:
        return f"{self.office.code}/{self.code}"


class SessionHours(models.Model):
    """When a session runs on one weekday."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="hours", verbose_name=_("session")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))

    class Meta:
        ordering = ["session", "weekday"]
        verbose_name = _("session hours")
        verbose_name_plural = _("session hours")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "weekday"], name="appointments_hours_one_per_weekday"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="appointments_hours_weekday"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointments_hours_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.weekday} {self.starts_at}-{self.ends_at}"


class Quota(TimeStampedModel):
    """Bookable places per day in one session for one kind of service, from
    ``valid_from`` to ``valid_to`` (inclusive; empty: open-ended)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("session")
    )
    kind = models.CharField(_("service kind"), max_length=30, choices=ServiceKind.choices)
    places = models.PositiveSmallIntegerField(_("places per day"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note or source"), max_length=300, blank=True)

    class Meta:
        ordering = ["session", "kind", "valid_from"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "valid_from"], name="appointments_quota_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ServiceKind.values), name="appointments_quota_known_kind"
            ),
            _period_ordered("appointments_quota_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.kind}: {self.places} from {self.valid_from}"


class PriorityQuota(TimeStampedModel):
    """Walk-in places per day for priority visitors (elderly, small children,
    pregnant women, people with disabilities), apart from the booked quota."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="priority_quotas", verbose_name=_("office")
    )
    places = models.PositiveSmallIntegerField(_("walk-in places per day"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note or source"), max_length=300, blank=True)

    class Meta:
        ordering = ["office__code", "valid_from"]
        verbose_name = _("priority walk-in quota")
        verbose_name_plural = _("priority walk-in quotas")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "valid_from"], name="appointments_priority_unique_start"
            ),
            _period_ordered("appointments_priority_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.office.code}: {self.places} from {self.valid_from}"


class SlotLock(models.Model):
    """One row per (office, day, session, kind) that anyone booked: bookings
    lock it (SELECT ... FOR UPDATE) before counting the places taken, so two
    people racing for the last place are served one after the other."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "session", "kind"], name="appointments_slot_lock_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.day}/{self.session_id}/{self.kind}"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    ATTENDED = "attended", _("Visit done")
    CANCELLED = "cancelled", _("Cancelled")
    MISSED = "missed", _("Missed")


class Booking(TimeStampedModel):
    """An applicant's place in one session of one day for one application."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("booking code"), max_length=8, unique=True, editable=False)
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("application"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("applicant account"),
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("office")
    )
    kind = models.CharField(_("service kind"), max_length=30, choices=ServiceKind.choices)
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("session")
    )
    day = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    reschedule_count = models.PositiveSmallIntegerField(_("times rescheduled"), default=0)
    rescheduled_at = models.DateTimeField(_("rescheduled at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    attended_at = models.DateTimeField(_("visit done at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        ordering = ["day", "session__display_order", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [
            models.Index(fields=["office", "day", "session", "kind", "status"], name="appt_slot"),
            models.Index(fields=["applicant", "-day"], name="appt_applicant_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status=BookingStatus.BOOKED),
                name="appointments_one_active_booking_per_application",
            ),
            models.CheckConstraint(
                condition=Q(status__in=BookingStatus.values), name="appointments_booking_status"
            ),
            models.CheckConstraint(
                condition=Q(reschedule_count__lte=1), name="appointments_reschedule_once"
            ),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.CANCELLED) | Q(cancelled_at__isnull=False),
                name="appointments_cancelled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.CHECKED_IN) | Q(checked_in_at__isnull=False),
                name="appointments_checked_in_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.ATTENDED) | Q(attended_at__isnull=False),
                name="appointments_attended_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.BOOKED


class PriorityReason(models.TextChoices):
    """Why a walk-in is served first (a code: no health data in free text)."""

    ELDERLY = "elderly", _("Aged 60 or over")
    CHILD_UNDER_5 = "child_under_5", _("Child under 5")
    PREGNANT = "pregnant", _("Pregnant")
    DISABILITY = "disability", _("Person with a disability")


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVED = "served", _("Served")
    NO_SHOW = "no_show", _("Did not show up")


class QueueCounter(models.Model):
    """The last queue number given per office, day and prefix; locked while
    the next number is taken."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    prefix = models.CharField(max_length=1)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "prefix"], name="appointments_queue_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.day}/{self.prefix}:{self.last_number}"


class Ticket(TimeStampedModel):
    """A queue number for one visit on one day: from a booking's check-in or
    a priority walk-in registered at the counter."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("office")
    )
    day = models.DateField(_("date"))
    prefix = models.CharField(_("prefix"), max_length=1)
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("service kind"), max_length=30, choices=ServiceKind.choices)
    booking = models.OneToOneField(
        Booking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket",
        verbose_name=_("booking"),
    )
    priority_reason = models.CharField(
        _("priority reason"), max_length=20, choices=PriorityReason.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    counter = models.CharField(_("counter"), max_length=20, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["day", "issued_at", "id"]
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        indexes = [models.Index(fields=["office", "day", "status"], name="appt_ticket_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "prefix", "number"], name="appointments_ticket_number"
            ),
            models.CheckConstraint(
                condition=Q(status__in=TicketStatus.values), name="appointments_ticket_status"
            ),
            models.CheckConstraint(
                condition=Q(booking__isnull=False, priority_reason="")
                | Q(booking__isnull=True, priority_reason__in=PriorityReason.values),
                name="appointments_ticket_booked_or_priority",
            ),
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        return f"{self.prefix}-{self.number:03d}"

    @property
    def is_priority(self) -> bool:
        return bool(self.priority_reason)
