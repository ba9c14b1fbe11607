"""Office scoping: which offices' records a staff member may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from simi.accounts.models import User
from simi.core.models import Office


def visible_office_ids(actor: User) -> set[int] | None:
    """Office ids the actor may see; ``None`` means every office.

    Staff of an office also see its service points; staff of a service point
    see only that service point. Non-staff see no office's records.
    """
    if not actor.is_authenticated or not actor.is_active:
        return set()
    if actor.sees_all_offices:
        return None
    if not actor.is_office_staff or actor.office_id is None:
        return set()
    ids = {actor.office_id}
    ids.update(Office.objects.filter(parent_id=actor.office_id).values_list("id", flat=True))
    return ids


def scope_by_office(queryset: QuerySet, actor: User, field: str = "office") -> QuerySet:
    """Filter any queryset with an office foreign key down to the actor's offices."""
    ids = visible_office_ids(actor)
    if ids is None:
        return queryset
    return queryset.filter(Q(**{f"{field}__in": ids}))
