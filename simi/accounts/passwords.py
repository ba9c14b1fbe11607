"""Password rules specific to SIMI."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The one password every synthetic demo account shares (documented in README).
# It only works while SIMI_ENV is not production; see backends.SimiAuthBackend.
DEMO_PASSWORD = "demo-SIMI-2026"  # noqa: S105 - public by design, refused in production


class DemoPasswordValidator:
    """Nobody may choose the published demo password as a real password."""

    def validate(self, password: str, user: object = None) -> None:
        if password == DEMO_PASSWORD and (
            settings.PRODUCTION or not getattr(user, "is_demo", False)
        ):
            raise ValidationError(
                _("This password is published for the demo and cannot be used."),
                code="password_is_demo",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be the published demo password.")
