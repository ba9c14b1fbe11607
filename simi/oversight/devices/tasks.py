"""Background jobs of devices: thin, idempotent, ids only."""

from __future__ import annotations

from django_tasks import task


@task()
def check_devices_offline() -> dict[str, int]:
    """Periodic (every 5 minutes): one offline alert per outage for devices
    silent past their expected interval, alerts closed for devices heard from
    again, nonces past the replay window forgotten. Safe to repeat."""
    from simi.oversight.devices.services import devices_check_offline

    result = devices_check_offline()
    return {
        "alerts_opened": len(result.opened),
        "alerts_closed": len(result.closed),
        "nonces_deleted": result.nonces_deleted,
    }
