"""The handlers notifications lends to lower domains' hooks (settings.SIMI_HOOKS)."""

from __future__ import annotations

from simi.accounts.models import User
from simi.notifications.services import notify_phone_code


def send_phone_code(*, account: User, code: str) -> None:
    """``accounts.phone_code``: an account asked for a code for its new number."""
    notify_phone_code(recipient=account, code=code)
