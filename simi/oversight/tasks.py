"""Background jobs of oversight: thin, idempotent, ids only."""

from __future__ import annotations

from django_tasks import task


@task()
def detect_violations() -> dict[str, int]:
    """Periodic (daily): expire permits, remind of expiry, find overstays and
    lodging without a valid permit. A second run on the same day creates nothing."""
    from simi.oversight.detection import (
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


@task()
def run_lodging_import(import_id: str) -> str:
    """Check and import one uploaded CSV file (all rows or none)."""
    from simi.oversight.lodging import lodging_import_run
    from simi.oversight.models import LodgingImport

    upload = LodgingImport.objects.filter(public_id=import_id).first()
    if upload is None:
        return "missing"
    return lodging_import_run(upload).status


@task()
def check_devices_offline() -> dict[str, int]:
    """Periodic (every 5 minutes): one offline alert per outage for devices
    silent past their expected interval, alerts closed for devices heard from
    again, nonces past the replay window forgotten. Safe to repeat."""
    from simi.oversight.devices import devices_check_offline

    result = devices_check_offline()
    return {
        "alerts_opened": len(result.opened),
        "alerts_closed": len(result.closed),
        "nonces_deleted": result.nonces_deleted,
    }
