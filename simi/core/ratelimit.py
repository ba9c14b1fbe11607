"""A fixed-window rate limiter on Django's cache, for forms outside the API."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(bucket: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; ``False`` when the limit for this window is exceeded."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # no personal data in cache keys
    cache_key = f"rl:{bucket}:{digest}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit
