"""Background jobs of the register: thin, idempotent, ids only."""

from __future__ import annotations

from django_tasks import task


@task()
def detect_violations() -> dict[str, int]:
    """Periodic (daily): expire permits, remind of expiry, find overstays and
    lodging without a valid permit. A second run on the same day creates nothing."""
    from simi.oversight.register.detection import (
        lodging_without_permit_detect,
        overstays_detect,
        permit_reminders_create,
        permits_mark_expired,
    )

    expired = permits_mark_expired()
    reminders = permit_reminders_create()
    overstays = overstays_detect()
    lodging = lodging_without_permit_detect()
    return {
        "permits_expired": len(expired),
        "reminders_created": len(reminders.created),
        "overstays_found": len(overstays.found),
        "overstays_created": len(overstays.created),
        "overstays_escalated": len(overstays.escalated),
        "lodging_violations_created": len(lodging.created),
    }
