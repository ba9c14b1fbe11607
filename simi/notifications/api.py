"""The /api/v1 operations of notifications: your own messages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from ninja.pagination import LimitOffsetPagination, paginate

from simi.core.errors import NotAuthenticated
from simi.core.routing import ScopedRouter
from simi.notifications.models import Notification
from simi.notifications.rendering import absolute_url, render_title
from simi.notifications.schemas import NotificationOut
from simi.notifications.selectors import notifications_own

router = ScopedRouter(tags=["notifications"])


def notification_out(notification: Notification, *, language: str) -> NotificationOut:
    return NotificationOut(
        id=notification.public_id,
        event=notification.event,
        title=render_title(notification, language=language),
        link=absolute_url(notification.link) or None,
        created_at=notification.created_at,
    )


class _Rendered:
    """A queryset the paginator slices before each row is rendered."""

    def __init__(self, queryset: QuerySet[Notification], language: str) -> None:
        self.queryset = queryset
        self.language = language

    def all(self) -> _Rendered:
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[NotificationOut]:
        total = self.count()  # a huge offset must not reach the database
        start = min(window.start or 0, total)
        stop = total if window.stop is None else min(window.stop, total)
        if start >= stop:
            return []
        return [notification_out(row, language=self.language) for row in self.queryset[start:stop]]


@router.get(
    "/notifications", scope="profile", response=list[NotificationOut], summary="Your notifications"
)
@paginate(LimitOffsetPagination)
def notification_list(request: HttpRequest) -> list[NotificationOut]:
    """The messages SIMI sent you, newest first, one per event, titled in the
    language of the request (`Accept-Language`: id or en)."""
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    rows = notifications_own(actor=request.user)
    return _Rendered(rows, translation.get_language() or "id")  # type: ignore[return-value]
