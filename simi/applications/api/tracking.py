"""Public tracking: an application's status timeline by its tracking code,
without sign-in.

The busiest operation of the API; its router is added first (simi/api.py) so
that its URL pattern is the first one tried.
"""

import json

from django.http import HttpRequest, HttpResponse
from ninja.responses import NinjaJSONEncoder

from simi.applications import selectors
from simi.applications.schemas import TrackingOut
from simi.applications.selectors import TRACK_LIMIT, TRACK_WINDOW_SECONDS
from simi.core.errors import RateLimited
from simi.core.ratelimit import client_ip, hit
from simi.core.routing import PUBLIC, ScopedRouter

router = ScopedRouter(tags=["applications"])


@router.get(
    "/track/{tracking_code}",
    scope=PUBLIC,
    response=TrackingOut,
    summary="Track an application (public)",
)
def track(request: HttpRequest, tracking_code: str) -> HttpResponse:
    """The status timeline of an application by its tracking code, without
    sign-in: no personal data beyond the holder's initials. A mistyped code
    answers 422 (check characters), an unknown one 404; at most 30 look-ups a
    minute per address (429)."""
    if not hit("track", client_ip(request), limit=TRACK_LIMIT, window_seconds=TRACK_WINDOW_SECONDS):
        raise RateLimited()
    view = selectors.application_track(tracking_code)
    # The busiest public endpoint answers its JSON itself, in the encoding ninja
    # gives every other answer, without a validation pass over values that the
    # selector already typed; tests/test_tracking.py checks the answer against
    # TrackingOut and the OpenAPI contract tests check it against the schema.
    body = {
        "tracking_code": view.tracking_code,
        "status": view.status,
        "status_label": str(view.status_label),
        "service_name": view.service_name,
        "office_name": view.office_name,
        "holder_initials": view.holder_initials,
        "submitted_at": view.submitted_at,
        "sla_due_date": view.sla_due_date,
        "timeline": [
            {
                "at": step.at,
                "status": step.status,
                "status_label": str(step.status_label),
                "note": step.note,
                "note_label": str(step.note_label),
            }
            for step in view.timeline
        ],
    }
    return HttpResponse(
        json.dumps(body, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8"
    )
