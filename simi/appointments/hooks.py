"""How appointments reacts to what happens in the domains below it; each
handler is named in ``settings.SIMI_HOOKS`` (simi/core/hooks.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from simi.accounts.actors import Actor
from simi.applications.models import Application
from simi.appointments.models import BookingStatus
from simi.appointments.selectors import bookings_of_day, can_manage, has_visit, office_for_staff
from simi.appointments.services import (
    bookings_attend_for_application,
    bookings_release_for_application,
)
from simi.core.errors import NotFound


def application_closed(*, application: Application, actor: Actor | None) -> None:
    """``applications.closed``: a cancelled or refused application no longer
    needs its visit; the booked place is freed for someone else."""
    bookings_release_for_application(actor=actor, application=application)


def application_interviewed(*, application: Application, actor: Actor | None) -> None:
    """``applications.interviewed``: the officer saw the applicant, so the
    booked visit took place."""
    bookings_attend_for_application(actor=actor, application=application)


def application_visit_booked(*, application: Application) -> bool:
    """``applications.visit_booked``: the application has its visit, booked,
    checked in or done (the applicant's task list says so)."""
    return has_visit(application)


def backoffice_visits_card(*, actor: Actor) -> dict[str, Any] | None:
    """``backoffice.home``: today's visits at the actor's own office."""
    if not can_manage(actor):
        return None
    try:
        office = office_for_staff(actor=actor)
    except NotFound:  # no office of their own (a regional role): the page lets them choose
        return None
    today = bookings_of_day(actor=actor, office=office)
    url = reverse("appointments_office:bookings")
    figures = [
        (_("Visits booked today"), today.count(), url),
        (
            _("Checked in so far"),
            today.filter(status__in=(BookingStatus.CHECKED_IN, BookingStatus.ATTENDED)).count(),
            url,
        ),
    ]
    return {
        "title": _("Today's visits at %(office)s") % {"office": office.name},
        "url": url,
        "figures": figures,
    }
