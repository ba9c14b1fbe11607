"""Data-subject rights API (UU 27/2022): your own requests and your data;
the handlers' queue and incident register for ``privacy:handle``."""

import uuid

from django.http import HttpRequest, StreamingHttpResponse
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.core.paging import Paged, paged
from simi.core.routing import ScopedRouter
from simi.privacy import selectors, services
from simi.privacy.export import dsr_out, export_filename, personal_data_export
from simi.privacy.models import DataSubjectRequest, Incident
from simi.privacy.schemas import (
    DsrCreateIn,
    DsrOut,
    DsrQueueItemOut,
    IncidentOut,
    PersonalDataExportOut,
)

router = ScopedRouter(tags=["personal data"])


@router.get(
    "/privacy/requests",
    scope="profile",
    response=list[DsrOut],
    summary="Your data-subject requests",
)
@paginate(LimitOffsetPagination)
def request_list(request: HttpRequest) -> Paged[DsrOut]:
    """Your own requests, newest first."""
    return paged(selectors.dsr_list_own(actor=request.user), dsr_out)


@router.post(
    "/privacy/requests",
    scope="profile",
    response={201: DsrOut},
    summary="Make a data-subject request",
)
def request_create(request: HttpRequest, payload: DsrCreateIn) -> Status[DsrOut]:
    """Ask for access, correction, erasure, restriction or withdrawal of consent.

    The answer is due within 3x24 hours; an access request completes at once:
    fetch the copy from ``GET /privacy/export``. At most 3 requests may be open
    at a time (429 beyond).
    """
    dsr = services.dsr_submit(actor=request.user, kind=payload.kind, details=payload.details)
    return Status(201, dsr_out(dsr))


@router.get(
    "/privacy/requests/{request_id}",
    scope="profile",
    response=DsrOut,
    summary="One of your requests",
)
def request_get(request: HttpRequest, request_id: uuid.UUID) -> DsrOut:
    """Someone else's request answers 404, like a missing one."""
    return dsr_out(selectors.dsr_get_own(actor=request.user, public_id=request_id))


@router.get(
    "/privacy/export",
    scope="profile",
    response=PersonalDataExportOut,
    summary="A copy of all your personal data",
)
def export(request: HttpRequest) -> StreamingHttpResponse:
    """Everything SIMI holds on you as one JSON document (streamed, attachment).

    The download itself is recorded in the audit log.
    """
    chunks = personal_data_export(actor=request.user)
    response = StreamingHttpResponse(
        (chunk.encode() for chunk in chunks), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    response["Cache-Control"] = "no-store"
    return response


def _queue_item(dsr: DataSubjectRequest) -> DsrQueueItemOut:
    return DsrQueueItemOut(
        id=dsr.public_id,
        kind=dsr.kind,
        status=dsr.status,
        received_at=dsr.received_at,
        due_at=dsr.due_at,
        hours_left=dsr.hours_left(),
        escalated_at=dsr.escalated_at,
        completed_at=dsr.completed_at,
    )


@router.get(
    "/privacy/queue",
    scope="privacy:handle",
    response=list[DsrQueueItemOut],
    summary="Requests to handle (staff)",
)
@paginate(LimitOffsetPagination)
def queue(request: HttpRequest, status: str = "open") -> Paged[DsrQueueItemOut]:
    """Every data-subject request, most urgent first. ``status``: open (default),
    received, in_progress, completed, rejected or all."""
    found = selectors.dsr_queue(actor=request.user, status=status)
    return paged(found, _queue_item)


def _incident_out(incident: Incident) -> IncidentOut:
    return IncidentOut(
        id=incident.public_id,
        title=incident.title,
        severity=Incident.Severity(incident.severity),
        status=Incident.Status(incident.status),
        data_categories=incident.data_categories,
        affected_subjects=incident.affected_subjects,
        occurred_at=incident.occurred_at,
        discovered_at=incident.discovered_at,
        notify_deadline=incident.notify_deadline,
        hours_left=incident.hours_left(),
        subjects_notified_at=incident.subjects_notified_at,
        authority_notified_at=incident.authority_notified_at,
    )


@router.get(
    "/privacy/incidents",
    scope="privacy:handle",
    response=list[IncidentOut],
    summary="Personal-data incidents (staff)",
)
@paginate(LimitOffsetPagination)
def incident_list(request: HttpRequest) -> Paged[IncidentOut]:
    """The breach register, nearest notice deadline first."""
    found = selectors.incident_list(actor=request.user)
    return paged(found, _incident_out)
