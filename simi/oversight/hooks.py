"""How oversight answers the hooks of the domains below it; each handler is
named in ``settings.SIMI_HOOKS`` (simi/core/hooks.py)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.accounts.models import User
from simi.oversight.models import Foreigner


def register_of_foreigners_is_kept(*, user: User) -> Promise | None:
    """``privacy.erasure_blockers``: the register of foreigners is an official
    record with its own retention."""
    if user.person_id is not None and Foreigner.objects.filter(person_id=user.person_id).exists():
        return _(
            "You are in the register of foreigners, an official record kept for its "
            "retention period."
        )
    return None
