"""Detection jobs: expiry reminders, expired permits, overstays and lodging
without a valid permit. Each is idempotent: a second run on the same day
finds the same things and creates nothing new.

Overstay (UU 6/2011 Art. 78): a permit (not cancelled) whose last day has
passed, with no exit between its first and last day and no other permit that
continues it. Day 1 of the overstay is the day after ``valid_until``; it runs
until today, or ends on the day of a later exit, or the day before a later
permit starts. The charge per day and the escalation threshold come from
``data/charges.csv``; more than 60 days is escalated (Art. 78(3)).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from simi.audit.services import audit_record
from simi.oversight.codes import Action
from simi.oversight.models import (
    LodgingReport,
    Movement,
    PermitReminder,
    PermitStatus,
    StayPermit,
    Violation,
    ViolationKind,
    ViolationStatus,
)
from simi.oversight.register.charges import charge_in_force

REMINDER_DAYS = (30, 7, 1)
# The notifications event for expiry reminders; until simi.notifications
# defines it, reminders are recorded only (``notified_at`` stays empty).
REMINDER_EVENT = "permit_expiring"
# Lodging reports are checked against permits this long after check-in.
LODGING_LOOKBACK_DAYS = 60
OVERSTAY = "overstay"


@dataclass
class DetectionResult:
    """What a run found and what it changed (ids only, never personal data)."""

    found: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)


# --- Reminders and expiry ----------------------------------------------------


@transaction.atomic
def permits_mark_expired(*, as_of: date | None = None) -> list[str]:
    """Active permits past their last day become expired."""
    today = as_of or timezone.localdate()
    due = StayPermit.objects.filter(status=PermitStatus.ACTIVE, valid_until__lt=today)
    ids = [str(public_id) for public_id in due.values_list("public_id", flat=True)]
    if ids:
        due.update(status=PermitStatus.EXPIRED, updated_at=timezone.now())
        audit_record(
            actor=None,
            action=Action.PERMITS_EXPIRED,
            data={"count": len(ids), "permits": ids},
        )
    return ids


def _threshold(days_left: int) -> int | None:
    """The tightest reminder threshold the permit is within (30, 7 or 1)."""
    within = [t for t in REMINDER_DAYS if days_left <= t]
    return min(within) if within else None


@transaction.atomic
def permit_reminders_create(*, as_of: date | None = None) -> DetectionResult:
    """A reminder for each active permit expiring within 30, 7 or 1 days,
    once per threshold. A missed day is caught up with the tightest one."""
    today = as_of or timezone.localdate()
    result = DetectionResult()
    permits = StayPermit.objects.filter(
        status=PermitStatus.ACTIVE,
        valid_until__gte=today,
        valid_until__lte=today + timedelta(days=max(REMINDER_DAYS)),
    ).select_related("foreigner__person", "sponsor__account")
    for permit in permits:
        threshold = _threshold((permit.valid_until - today).days)
        if threshold is None:
            continue
        result.found.append(str(permit.public_id))
        _reminder, created = PermitReminder.objects.get_or_create(
            permit=permit, days_before=threshold, defaults={"due_on": permit.valid_until}
        )
        if created:
            result.created.append(f"{permit.public_id}:{threshold}")
            _notify_reminder(_reminder)
    if result.created:
        audit_record(
            actor=None,
            action=Action.PERMIT_REMINDERS_CREATED,
            data={"count": len(result.created), "reminders": result.created},
        )
    return result


def _reminder_recipients(permit: StayPermit) -> list[Any]:
    """The foreigner's own SIMI account and the sponsor's, when they have one."""
    recipients = []
    account = getattr(permit.foreigner.person, "account", None)
    if account is not None:
        recipients.append(account)
    if permit.sponsor is not None and permit.sponsor.account is not None:
        recipients.append(permit.sponsor.account)
    return recipients


def _notify_reminder(reminder: PermitReminder) -> None:
    from simi.notifications.events import EVENT_SPECS
    from simi.notifications.services import notify

    if REMINDER_EVENT not in EVENT_SPECS:
        return
    permit = reminder.permit
    for recipient in _reminder_recipients(permit):
        notify(
            event=REMINDER_EVENT,
            recipient=recipient,
            key=f"permit_expiring:{permit.public_id}:{reminder.days_before}",
            params={
                "permit_kind": permit.kind,
                "valid_until": permit.valid_until.isoformat(),
                "days_before": reminder.days_before,
            },
        )
    reminder.notified_at = timezone.now()
    reminder.save(update_fields=["notified_at"])


# --- Overstay ----------------------------------------------------------------


@dataclass(frozen=True)
class Overstay:
    start: date  # first day of overstay
    days: int
    running: bool


def overstay_of(
    permit: StayPermit, others: list[StayPermit], exits: list[date], today: date
) -> Overstay | None:
    """The overstay of one permit on ``today`` given the holder's other
    permits and exit dates; None when there is none."""
    if permit.status == PermitStatus.CANCELLED or permit.valid_until >= today:
        return None
    if any(permit.valid_from <= day <= permit.valid_until for day in exits):
        return None  # left in time
    start = permit.valid_until + timedelta(days=1)
    end = today
    running = True
    for other in others:
        if other.pk == permit.pk or other.status == PermitStatus.CANCELLED:
            continue
        if other.valid_until <= permit.valid_until:
            continue
        if other.valid_from <= start:
            return None  # continued without a gap
        if other.valid_from - timedelta(days=1) < end:
            end, running = other.valid_from - timedelta(days=1), False
    later_exits = [day for day in exits if day > permit.valid_until]
    if later_exits and min(later_exits) <= end:
        end, running = min(later_exits), False
    days = (end - permit.valid_until).days
    if days <= 0:
        return None
    return Overstay(start=start, days=days, running=running)


def _candidates(today: date) -> list[StayPermit]:
    return list(
        StayPermit.objects.filter(valid_until__lt=today)
        .exclude(status=PermitStatus.CANCELLED)
        .select_related("foreigner")
        .order_by("id")
    )


@transaction.atomic
def overstays_detect(*, as_of: date | None = None) -> DetectionResult:
    """Create or bring up to date one overstay violation per permit.

    The running charge and days are refreshed each run; a closed violation is
    left alone. Escalation happens once, the day the overstay passes the
    threshold (61 days under Art. 78(3)).
    """
    today = as_of or timezone.localdate()
    now = timezone.now()
    result = DetectionResult()
    candidates = _candidates(today)
    foreigner_ids = {permit.foreigner_id for permit in candidates}
    permits_by: dict[int, list[StayPermit]] = {}
    for other in StayPermit.objects.filter(foreigner_id__in=foreigner_ids):
        permits_by.setdefault(other.foreigner_id, []).append(other)
    exits_by: dict[int, list[date]] = {}
    for foreigner_id, day in Movement.objects.filter(
        foreigner_id__in=foreigner_ids, direction=Movement.Direction.EXIT, date__lte=today
    ).values_list("foreigner_id", "date"):
        exits_by.setdefault(foreigner_id, []).append(day)
    existing = {
        v.permit_id: v
        for v in Violation.objects.select_for_update(no_key=True).filter(
            kind=ViolationKind.OVERSTAY, permit__in=candidates
        )
    }
    for permit in candidates:
        found = overstay_of(
            permit,
            permits_by.get(permit.foreigner_id, []),
            exits_by.get(permit.foreigner_id, []),
            today,
        )
        if found is None:
            continue
        charge = charge_in_force(OVERSTAY, found.start)
        escalate = found.days > charge.escalation_after_days
        violation = existing.get(permit.pk)
        result.found.append(str(permit.public_id))
        if violation is None:
            violation = Violation.objects.create(
                kind=ViolationKind.OVERSTAY,
                foreigner=permit.foreigner,
                office=permit.foreigner.office,
                permit=permit,
                detected_on=today,
                evaluated_on=today,
                overstay_from=found.start,
                overstay_days=found.days,
                is_running=found.running,
                charge_per_day=charge.amount_per_day,
                charge_total=charge.amount_per_day * found.days,
                escalation=(
                    Violation.Escalation.DEPORTATION if escalate else Violation.Escalation.NONE
                ),
                escalated_at=now if escalate else None,
            )
            result.created.append(str(violation.public_id))
            if escalate:
                result.escalated.append(str(violation.public_id))
            audit_record(
                actor=None,
                action=Action.VIOLATION_DETECTED,
                target=violation,
                data={
                    "kind": violation.kind,
                    "permit": str(permit.public_id),
                    "days": found.days,
                    "charge": violation.charge_total,
                    "escalation": violation.escalation,
                },
            )
            continue
        if violation.status == ViolationStatus.CLOSED:
            continue
        _refresh(violation, found, today, now, escalate, result)
    if result.updated:
        audit_record(
            actor=None,
            action=Action.OVERSTAYS_REFRESHED,
            data={"count": len(result.updated), "violations": result.updated},
        )
    return result


def _refresh(
    violation: Violation,
    found: Overstay,
    today: date,
    now: Any,
    escalate: bool,
    result: DetectionResult,
) -> None:
    changed: list[str] = []
    values = {
        "overstay_from": found.start,
        "overstay_days": found.days,
        "is_running": found.running,
        "charge_total": violation.charge_per_day * found.days,
    }
    for name, value in values.items():
        if getattr(violation, name) != value:
            setattr(violation, name, value)
            changed.append(name)
    if escalate and violation.escalation == Violation.Escalation.NONE:
        violation.escalation = Violation.Escalation.DEPORTATION
        violation.escalated_at = now
        changed += ["escalation", "escalated_at"]
        result.escalated.append(str(violation.public_id))
        audit_record(
            actor=None,
            action=Action.VIOLATION_ESCALATED,
            target=violation,
            data={"days": found.days, "escalation": violation.escalation},
        )
    if changed:
        violation.evaluated_on = today
        violation.save(update_fields=[*changed, "evaluated_on", "updated_at"])
        result.updated.append(str(violation.public_id))


# --- Lodging without a valid permit -------------------------------------------


@transaction.atomic
def lodging_without_permit_detect(*, as_of: date | None = None) -> DetectionResult:
    """A matched lodging report whose check-in day no permit (not cancelled)
    of the guest covers: one violation per report."""
    today = as_of or timezone.localdate()
    result = DetectionResult()
    reports = (
        LodgingReport.objects.filter(
            foreigner__isnull=False,
            check_in__date__lte=today,
            check_in__date__gte=today - timedelta(days=LODGING_LOOKBACK_DAYS),
        )
        .exclude(violations__kind=ViolationKind.LODGING_WITHOUT_PERMIT)
        .select_related("foreigner")
        .order_by("id")
    )
    for report in reports:
        assert report.foreigner is not None
        day = timezone.localtime(report.check_in).date()
        covered = (
            StayPermit.objects.filter(
                foreigner=report.foreigner, valid_from__lte=day, valid_until__gte=day
            )
            .filter(~Q(status=PermitStatus.CANCELLED))
            .exists()
        )
        if covered:
            continue
        result.found.append(str(report.public_id))
        violation = Violation.objects.create(
            kind=ViolationKind.LODGING_WITHOUT_PERMIT,
            foreigner=report.foreigner,
            office=report.foreigner.office,
            lodging_report=report,
            detected_on=today,
            evaluated_on=today,
        )
        result.created.append(str(violation.public_id))
        audit_record(
            actor=None,
            action=Action.VIOLATION_DETECTED,
            target=violation,
            data={"kind": violation.kind, "lodging_report": str(report.public_id)},
        )
    return result
