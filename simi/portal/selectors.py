"""Reads of the portal's own data."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from simi.portal.models import PageFeedback


def feedback_counts_per_page() -> list[dict[str, Any]]:
    """Per page: yes, no, how many left a comment; most answered first."""
    return list(
        PageFeedback.objects.values("path")
        .annotate(
            yes=Count("id", filter=Q(answer=PageFeedback.Answer.YES)),
            no=Count("id", filter=Q(answer=PageFeedback.Answer.NO)),
            comments=Count("id", filter=Q(comment__isnull=False)),
            total=Count("id"),
        )
        .order_by("-total", "path")
    )
