"""The portal's answers to other domains' hooks (settings.SIMI_HOOKS)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from simi.accounts.actors import Actor
from simi.accounts.roles import Role
from simi.portal.models import PageFeedback

FEEDBACK_ROLES = frozenset({Role.ANALYST, Role.ADMIN})


def backoffice_feedback_card(*, actor: Actor) -> dict[str, Any] | None:
    """``backoffice.home``: the public's answers to "Was this page helpful?",
    for analysts and administrators."""
    if getattr(actor, "role", None) not in FEEDBACK_ROLES:
        return None
    url = reverse("portal:feedback_summary")
    answers = PageFeedback.objects.all()
    return {
        "title": _("Page feedback"),
        "url": url,
        "figures": [
            (_("Helpful"), answers.filter(answer=PageFeedback.Answer.YES).count(), url),
            (_("Not helpful"), answers.filter(answer=PageFeedback.Answer.NO).count(), url),
        ],
    }
