"""Reads of notifications: a person's own messages, one per event."""

from __future__ import annotations

from django.db.models import Min, QuerySet

from simi.accounts.actors import Actor
from simi.notifications.models import Notification


def notifications_own(*, actor: Actor) -> QuerySet[Notification]:
    """The actor's notifications, newest first, one row per event (not per channel).

    None for anonymous callers. Destinations are not stored, so nothing here
    reveals an address or a number.
    """
    if not actor.is_authenticated:
        return Notification.objects.none()
    mine = Notification.objects.filter(recipient=actor)
    first_per_event = mine.order_by().values("key").annotate(first=Min("id")).values("first")
    return (
        mine.filter(id__in=first_per_event)
        .select_related("recipient")
        .order_by("-created_at", "-id")
    )
