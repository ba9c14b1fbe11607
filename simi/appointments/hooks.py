"""How appointments reacts to what happens in the domains below it; each
handler is named in ``settings.SIMI_HOOKS`` (simi/core/hooks.py)."""

from __future__ import annotations

from simi.accounts.actors import Actor
from simi.applications.models import Application
from simi.appointments.services import bookings_release_for_application


def application_closed(*, application: Application, actor: Actor | None) -> None:
    """``applications.closed``: a cancelled or refused application no longer
    needs its visit; the booked place is freed for someone else."""
    bookings_release_for_application(actor=actor, application=application)
