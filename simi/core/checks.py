"""System checks: SIMI refuses to start without its keys (production) or with a
mistyped proxy list."""

from __future__ import annotations

import ipaddress
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


@register("security")
def trusted_proxies_parse(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A mistyped SIMI_FORWARDED_ALLOW_IPS would fail every rate-limited request."""
    errors: list[CheckMessage] = []
    for proxy in settings.SIMI_TRUSTED_PROXIES:
        if proxy == "*":
            continue
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"SIMI_FORWARDED_ALLOW_IPS holds {proxy!r}, which is not an address or "
                    "a network (e.g. 127.0.0.1, 10.0.0.0/8, ::1).",
                    id="simi.E002",
                )
            )
    return errors
