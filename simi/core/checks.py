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


@register("security")
def metrics_token_strong(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """/metrics is guarded by its token alone: a short one could be guessed."""
    token = settings.SIMI_METRICS_TOKEN
    if token and len(token) < 32:
        return [
            Error(
                "SIMI_METRICS_TOKEN is shorter than 32 characters; make one with "
                '`python -c "import secrets; print(secrets.token_urlsafe(32))"`.',
                id="simi.E003",
            )
        ]
    return []
