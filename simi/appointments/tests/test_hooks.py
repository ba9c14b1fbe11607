"""Appointments listens to ``applications.closed``: a cancelled or refused
application frees its booked visit."""

from __future__ import annotations

from datetime import date

import pytest

from simi.applications import workflow
from simi.appointments import services
from simi.appointments.models import BookingStatus
from simi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2026, 8, 12)


def test_it_frees_the_visit_when_the_applicant_cancels(ani, application, client_for):
    # given Ani's visit on Wednesday morning
    booking = services.booking_create(
        actor=ani, application=application, day=WEDNESDAY, session_code="pagi"
    )
    # when she cancels her application on its page
    response = client_for(ani).post(
        f"/permohonan/{application.public_id}/batalkan/", {"reason": "no_longer_needed"}
    )
    # then the visit is cancelled and its release audited
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    entry = AuditEntry.objects.get(action="appointments.released")
    assert entry.data["reason"] == "cancelled"


def test_it_frees_the_visit_when_the_application_is_refused(ani, application, officer, supervisor):
    # given a visit, and verification under way
    booking = services.booking_create(
        actor=ani, application=application, day=WEDNESDAY, session_code="siang"
    )
    workflow.start_verification(actor=officer, application=application)
    # when the supervisor refuses the application
    workflow.reject(
        actor=supervisor, application=application, reason="not_eligible", note="Not eligible"
    )
    # then the place is free again
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert AuditEntry.objects.get(action="appointments.released").data["reason"] == "rejected"
