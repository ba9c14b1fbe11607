"""Applications API: the applicant's own applications (create, submit,
cancel; Idempotency-Key honoured on POST) and public tracking."""

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.applications import selectors, services
from simi.applications.idempotency import idempotent
from simi.applications.models import Application
from simi.applications.schemas import (
    ApplicationCancelIn,
    ApplicationCreateIn,
    ApplicationOut,
    TimelineStepOut,
    TrackingOut,
)
from simi.applications.selectors import TRACK_LIMIT, TRACK_WINDOW_SECONDS
from simi.core.errors import RateLimited
from simi.core.ratelimit import client_ip, hit
from simi.core.scopes import require_scope

router = Router(tags=["applications"])


def application_out(app: Application) -> ApplicationOut:
    return ApplicationOut(
        id=app.public_id,
        status=app.status,
        tracking_code=app.tracking_code_display or None,
        service=app.service_type.code,
        office=app.office.code,
        fee_total_at_submit=app.fee_total_at_submit,
        sla_working_days=app.sla_working_days,
        sla_due_date=app.sla_due_date,
        created_at=app.created_at,
        submitted_at=app.submitted_at,
        cancelled_at=app.cancelled_at,
    )


class _Mapped:
    """A queryset the paginator slices before each row becomes a schema."""

    def __init__(self, queryset: QuerySet[Application]) -> None:
        self.queryset = queryset

    def all(self) -> "_Mapped":
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[ApplicationOut]:
        total = self.count()  # a huge offset must not reach the database
        start = min(window.start or 0, total)
        stop = total if window.stop is None else min(window.stop, total)
        return [application_out(app) for app in self.queryset[start:stop]] if start < stop else []


def _json(app: Application) -> dict[str, Any]:
    return application_out(app).model_dump(mode="json")


@router.get("/applications", response=list[ApplicationOut], summary="Your applications")
@paginate(LimitOffsetPagination)
def application_list(request: HttpRequest) -> list[ApplicationOut]:
    """Your own applications, newest first."""
    require_scope(request, "profile")
    return _Mapped(selectors.applications_own(actor=request.user))  # type: ignore[return-value]


@router.post("/applications", response={201: ApplicationOut}, summary="Start an application")
def application_create(request: HttpRequest, payload: ApplicationCreateIn) -> Status[Any]:
    """Create a draft (applicants only). Send an ``Idempotency-Key`` header so a
    retry returns the first answer instead of a second draft; reusing a key
    for a different body answers 422 ``idempotency_key_reused``."""
    require_scope(request, "profile")
    services.require_applicant(request.user)

    def handler() -> tuple[int, dict[str, Any]]:
        app = services.application_create(
            actor=request.user, service_code=payload.service, office_code=payload.office
        )
        return 201, _json(app)

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.get("/applications/{application_id}", response=ApplicationOut, summary="One application")
def application_get(request: HttpRequest, application_id: uuid.UUID) -> ApplicationOut:
    """Someone else's application answers 404, like a missing one."""
    require_scope(request, "profile")
    return application_out(
        selectors.application_get_own(actor=request.user, public_id=application_id)
    )


@router.post(
    "/applications/{application_id}/submit",
    response={200: ApplicationOut},
    summary="Submit a draft",
)
def application_submit(request: HttpRequest, application_id: uuid.UUID) -> Status[Any]:
    """Draft -> registered: fixes the fee in force today and the due date in
    working days, and gives the tracking code. ``Idempotency-Key`` honoured."""
    require_scope(request, "profile")

    def handler() -> tuple[int, dict[str, Any]]:
        app = selectors.application_get_own(actor=request.user, public_id=application_id)
        return 200, _json(services.application_submit(actor=request.user, application=app))

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.post(
    "/applications/{application_id}/cancel",
    response={200: ApplicationOut},
    summary="Cancel an application",
)
def application_cancel(
    request: HttpRequest, application_id: uuid.UUID, payload: ApplicationCancelIn
) -> Status[Any]:
    """Only a draft or a registered application can be cancelled online.
    ``Idempotency-Key`` honoured."""
    require_scope(request, "profile")

    def handler() -> tuple[int, dict[str, Any]]:
        app = selectors.application_get_own(actor=request.user, public_id=application_id)
        cancelled = services.application_cancel(
            actor=request.user, application=app, reason=payload.reason
        )
        return 200, _json(cancelled)

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.get(
    "/track/{tracking_code}",
    response=TrackingOut,
    auth=None,
    summary="Track an application (public)",
)
def track(request: HttpRequest, tracking_code: str) -> TrackingOut:
    """The status timeline of an application by its tracking code, without
    sign-in: no personal data beyond the holder's initials. A mistyped code
    answers 422 (check characters), an unknown one 404; at most 30 look-ups a
    minute per address (429)."""
    if not hit("track", client_ip(request), limit=TRACK_LIMIT, window_seconds=TRACK_WINDOW_SECONDS):
        raise RateLimited()
    view = selectors.application_track(tracking_code)
    return TrackingOut(
        tracking_code=view.tracking_code,
        status=view.status,
        status_label=str(view.status_label),
        service_name=view.service_name,
        office_name=view.office_name,
        holder_initials=view.holder_initials,
        submitted_at=view.submitted_at,
        sla_due_date=view.sla_due_date,
        timeline=[
            TimelineStepOut(
                at=step.at,
                status=step.status,
                status_label=str(step.status_label),
                note=step.note,
                note_label=str(step.note_label),
            )
            for step in view.timeline
        ],
    )
