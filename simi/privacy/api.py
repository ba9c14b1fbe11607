"""Data-subject rights API (UU 27/2022): your own requests and your data;
the handlers' queue and incident register for ``privacy:handle``."""

import uuid
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.core.scopes import require_scope
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

router = Router(tags=["personal data"])

M = TypeVar("M")
S = TypeVar("S")


class _Mapped(Generic[M, S]):
    """A queryset that the paginator slices before each row becomes a schema,
    so a page reads only its own rows."""

    def __init__(self, queryset: QuerySet[Any], convert: Callable[[Any], S]) -> None:
        self.queryset = queryset
        self.convert = convert
        self._count: int | None = None

    def all(self) -> "_Mapped[M, S]":
        return self

    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[S]:
        # Clamp to the row count: a huge offset must not reach the database
        # (SQLite refuses integers beyond 64 bits).
        total = self.count()
        start = min(window.start or 0, total)
        stop = total if window.stop is None else min(window.stop, total)
        if start >= stop:
            return []
        return [self.convert(row) for row in self.queryset[start:stop]]


@router.get("/privacy/requests", response=list[DsrOut], summary="Your data-subject requests")
@paginate(LimitOffsetPagination)
def request_list(request: HttpRequest) -> list[DsrOut]:
    """Your own requests, newest first."""
    require_scope(request, "profile")
    return _Mapped(selectors.dsr_list_own(actor=request.user), dsr_out)  # type: ignore[return-value]


@router.post("/privacy/requests", response={201: DsrOut}, summary="Make a data-subject request")
def request_create(request: HttpRequest, payload: DsrCreateIn) -> Status[DsrOut]:
    """Ask for access, correction, erasure, restriction or withdrawal of consent.

    The answer is due within 3x24 hours; an access request completes at once:
    fetch the copy from ``GET /privacy/export``. At most 3 requests may be open
    at a time (429 beyond).
    """
    require_scope(request, "profile")
    dsr = services.dsr_submit(actor=request.user, kind=payload.kind, details=payload.details)
    return Status(201, dsr_out(dsr))


@router.get("/privacy/requests/{request_id}", response=DsrOut, summary="One of your requests")
def request_get(request: HttpRequest, request_id: uuid.UUID) -> DsrOut:
    """Someone else's request answers 404, like a missing one."""
    require_scope(request, "profile")
    return dsr_out(selectors.dsr_get_own(actor=request.user, public_id=request_id))


@router.get(
    "/privacy/export",
    response=PersonalDataExportOut,
    summary="A copy of all your personal data",
)
def export(request: HttpRequest) -> StreamingHttpResponse:
    """Everything SIMI holds on you as one JSON document (streamed, attachment).

    The download itself is recorded in the audit log.
    """
    require_scope(request, "profile")
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


@router.get("/privacy/queue", response=list[DsrQueueItemOut], summary="Requests to handle (staff)")
@paginate(LimitOffsetPagination)
def queue(request: HttpRequest, status: str = "open") -> list[DsrQueueItemOut]:
    """Every data-subject request, most urgent first. ``status``: open (default),
    received, in_progress, completed, rejected or all."""
    require_scope(request, "privacy:handle")
    found = selectors.dsr_queue(actor=request.user, status=status)
    return _Mapped(found, _queue_item)  # type: ignore[return-value]


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
    "/privacy/incidents", response=list[IncidentOut], summary="Personal-data incidents (staff)"
)
@paginate(LimitOffsetPagination)
def incident_list(request: HttpRequest) -> list[IncidentOut]:
    """The breach register, nearest notice deadline first."""
    require_scope(request, "privacy:handle")
    found = selectors.incident_list(actor=request.user)
    return _Mapped(found, _incident_out)  # type: ignore[return-value]
