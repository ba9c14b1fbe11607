"""A fixed-window rate limiter shared by every worker, and the client address it counts by."""

from __future__ import annotations

import functools
import ipaddress
import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from simi.core.crypto import blind_index

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_MAX_ADDRESS = 64  # characters kept of an address that does not parse


@functools.cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...] | None:
    """The proxies allowed to say who the client is; None when every hop is ("*")."""
    if "*" in proxies:
        return None
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str, networks: tuple[Network, ...] | None) -> bool:
    if networks is None:
        return True
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The address a request came from, for rate limits.

    gunicorn writes the proxy's address into REMOTE_ADDR, so behind the
    reverse proxy every citizen would share one address and one limit. When
    REMOTE_ADDR is a trusted proxy (SIMI_FORWARDED_ALLOW_IPS, the same list
    gunicorn trusts for X-Forwarded-Proto), the client is the right-most
    address in X-Forwarded-For that is not itself a trusted proxy: entries to
    its left were written by the client and may be invented.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    networks = _trusted_networks(tuple(settings.SIMI_TRUSTED_PROXIES))
    if not forwarded or not _is_trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return hop[:_MAX_ADDRESS]
    return hops[0][:_MAX_ADDRESS] if hops else remote


# One statement, atomic on both databases: the first attempt of a window
# inserts 1; a later one in the same window adds 1; one after the window ended
# starts a new window at 1. Every expression reads the row as it was.
_HIT_SQL = """
INSERT INTO core_ratecounter ("key", "count", "expires_at") VALUES (%s, 1, %s)
ON CONFLICT ("key") DO UPDATE SET
    "count" = CASE WHEN core_ratecounter."expires_at" > %s
                   THEN core_ratecounter."count" + 1 ELSE 1 END,
    "expires_at" = CASE WHEN core_ratecounter."expires_at" > %s
                        THEN core_ratecounter."expires_at" ELSE excluded."expires_at" END
RETURNING "count"
"""


def hit(bucket: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; ``False`` when the limit for this window is exceeded.

    The window opens at a key's first attempt and lasts ``window_seconds``.
    Counted in the database (RateCounter), so the limit holds across all
    worker processes and machines; call it outside a transaction that may
    roll back, or a failed attempt would not count.
    """
    # Keyed (the index key): an address cannot be recovered by hashing all 2^32.
    digest = blind_index(f"ratelimit:{bucket}", key)[:32]
    now = int(time.time() * 1000)
    ends = now + window_seconds * 1000
    # PostgreSQL: a prepared statement after the first use (simi/core/postgresql).
    with getattr(connection, "prepared_cursor", connection.cursor)() as cursor:
        cursor.execute(_HIT_SQL, [f"{bucket}:{digest}", ends, now, now])
        (count,) = cursor.fetchone()
    return int(count) <= limit


def purge_expired(now_ms: int | None = None) -> int:
    """Delete the counters of windows that have ended; how many went."""
    from simi.core.models import RateCounter

    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    deleted, _ = RateCounter.objects.filter(expires_at__lte=now_ms).delete()
    return deleted
