"""System checks: SIMI refuses to start in production without its keys."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured


@register("security", deploy=True)
def keys_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.PRODUCTION:
        return []
    from simi.core import keys

    errors: list[CheckMessage] = []
    for name, load in (
        ("data key ring", keys.data_keyring),
        ("blind-index key", keys.index_key),
        ("signing key", keys.signing_key),
        ("seal key", keys.seal_key),
    ):
        try:
            load()
        except ImproperlyConfigured as exc:
            errors.append(Error(f"The {name} is not configured: {exc}", id="simi.E001"))
    return errors
