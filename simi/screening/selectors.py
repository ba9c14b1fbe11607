"""Every read of screening, already scoped to the caller.

Review items are scoped by the office of their subject; someone else's item
answers NotFound like a missing one. Watchlists are for ``screening:manage``.
"""

from __future__ import annotations

import uuid

from django.db.models import Count, Q, QuerySet

from simi.accounts.actors import Actor
from simi.accounts.scoping import scope_by_office
from simi.core.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from simi.screening.access import MANAGE, REVIEW, can, can_see_control, require_capability
from simi.screening.codes import Code
from simi.screening.live import control
from simi.screening.models import (
    EntryStatus,
    ReviewItem,
    ScreeningControl,
    Watchlist,
    WatchlistEntry,
    WatchlistImport,
)

REVIEW_FILTERS = {
    "open": [ReviewItem.Status.OPEN, ReviewItem.Status.ESCALATED],
    "escalated": [ReviewItem.Status.ESCALATED],
    "decided": [ReviewItem.Status.CONFIRMED, ReviewItem.Status.DISMISSED],
    "all": list(ReviewItem.Status.values),
}


def review_queue(*, actor: Actor, status: str = "open") -> QuerySet[ReviewItem]:
    """Review items of the actor's offices, strongest hit first."""
    user = require_capability(actor, REVIEW)
    if status not in REVIEW_FILTERS:
        raise ValidationFailed.for_field(
            "status", "open, escalated, decided or all", code=Code.UNKNOWN_FILTER
        )
    found = ReviewItem.objects.filter(status__in=REVIEW_FILTERS[status]).select_related("office")
    return scope_by_office(found, user).order_by("-top_score", "created_at", "id")


def review_get(*, actor: Actor, public_id: uuid.UUID) -> ReviewItem:
    user = require_capability(actor, REVIEW)
    found = scope_by_office(ReviewItem.objects.select_related("office", "decided_by"), user)
    item = found.filter(public_id=public_id).first()
    if item is None:
        raise NotFound()
    return item


def hit_entries(item: ReviewItem) -> dict[str, WatchlistEntry]:
    ids = [uuid.UUID(h["entry"]) for h in item.hits]
    return {
        str(e.public_id): e
        for e in WatchlistEntry.objects.select_related("watchlist").filter(public_id__in=ids)
    }


def watchlists(*, actor: Actor) -> QuerySet[Watchlist]:
    require_capability(actor, MANAGE)
    return Watchlist.objects.select_related("owner_office").annotate(
        live_count=Count("entries", filter=Q(entries__status=EntryStatus.LIVE)),
        draft_count=Count("entries", filter=Q(entries__status=EntryStatus.DRAFT)),
    )


def watchlist_get(*, actor: Actor, code: str) -> Watchlist:
    found = watchlists(actor=actor).filter(code=code).first()
    if found is None:
        raise NotFound()
    return found


def watchlist_entries(
    *, actor: Actor, watchlist: Watchlist, status: str = ""
) -> QuerySet[WatchlistEntry]:
    require_capability(actor, MANAGE)
    found = WatchlistEntry.objects.filter(watchlist=watchlist)
    if status:
        if status not in EntryStatus.values:
            raise ValidationFailed.for_field(
                "status", "draft, live or retired", code=Code.UNKNOWN_FILTER
            )
        found = found.filter(status=status)
    return found.order_by("external_id")


def entry_get(*, actor: Actor, public_id: uuid.UUID) -> WatchlistEntry:
    require_capability(actor, MANAGE)
    found = WatchlistEntry.objects.select_related("watchlist").filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    return found


def import_get(*, actor: Actor, public_id: uuid.UUID) -> WatchlistImport:
    require_capability(actor, MANAGE)
    found = WatchlistImport.objects.select_related("watchlist").filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    return found


def imports_of(*, actor: Actor, watchlist: Watchlist) -> QuerySet[WatchlistImport]:
    require_capability(actor, MANAGE)
    return WatchlistImport.objects.filter(watchlist=watchlist).order_by("-created_at", "-id")


def control_get(*, actor: Actor) -> ScreeningControl:
    if not can_see_control(actor):
        if not actor.is_authenticated:
            raise NotAuthenticated()
        raise PermissionDenied()
    return control()


def may_manage(actor: Actor) -> bool:
    return can(actor, MANAGE)
