"""Rate limits shared by every worker, and the client address they count by.

Two kinds of counter, both rows of ``core_ratecounter``: ``hit()`` is a fixed
window (so many attempts per window); ``Backoff`` is a growing delay between
attempts (the credential limiter in ``core.credentials`` is built on it).
"""

from __future__ import annotations

import functools
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from simi.core.crypto import blind_index
from simi.core.metrics import rate_limit_hit

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


def client_network(request: HttpRequest) -> str:
    """The client's address as one subject of a limit: an IPv6 client is its /64.

    One IPv6 subscriber (a home, a phone, a cloud machine) is given a whole /64,
    so counting single IPv6 addresses would give one client 2^64 allowances.
    """
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


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
RETURNING "count", "expires_at"
"""


def hit(bucket: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; ``False`` when the limit for this window is exceeded.

    The window opens at a key's first attempt and lasts ``window_seconds``.
    Counted in the database (RateCounter), so the limit holds across all
    worker processes and machines; call it outside a transaction that may
    roll back, or a failed attempt would not count.
    """
    return hit_wait(bucket, key, limit=limit, window_seconds=window_seconds) == 0


def hit_wait(bucket: str, key: str, *, limit: int, window_seconds: int) -> int:
    """Like ``hit()``, but the seconds until the window ends when the limit is
    exceeded (for Retry-After), 0 when the attempt is allowed."""
    now = _now_ms()
    ends = now + window_seconds * 1000
    # PostgreSQL: a prepared statement after the first use (simi/core/postgresql).
    with getattr(connection, "prepared_cursor", connection.cursor)() as cursor:
        cursor.execute(_HIT_SQL, [_row_key(bucket, key), ends, now, now])
        count, expires_at = cursor.fetchone()
    if int(count) <= limit:
        return 0
    rate_limit_hit(bucket)
    return max(1, math.ceil((int(expires_at) - now) / 1000))


def _row_key(bucket: str, subject: str) -> str:
    # Keyed (the index key): an address cannot be recovered by hashing all 2^32.
    return f"{bucket}:{blind_index(f'ratelimit:{bucket}', subject)[:32]}"


def _now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True)
class Backoff:
    """A delay that doubles with every attempt past the free ones.

    After ``free`` attempts the next must wait 1 s, then 2, 4, 8 ... up to
    ``cap_seconds``; ``forget_seconds`` after a key's delay has run out with no
    new attempt, the key starts again from nothing. A delay, never a lock: an
    attempt that waits its turn is always looked at.

    One row per key: ``count`` is the attempts counted, ``expires_at`` is the
    end of the current delay plus ``forget_seconds`` (so the hourly purge of
    ended rows works unchanged, and the end of the delay needs no column).
    """

    bucket: str
    free: int
    cap_seconds: int
    forget_seconds: int

    def delay_ms(self, count: int) -> int:
        """How long the attempt after the ``count``-th must wait."""
        if count < self.free:
            return 0
        return min(self.cap_seconds, 2 ** min(count - self.free, 30)) * 1000

    def _read(self, key: str) -> tuple[int, int] | None:
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT "count", "expires_at" FROM core_ratecounter WHERE "key" = %s', [key]
            )
            row = cursor.fetchone()
        return (int(row[0]), int(row[1])) if row else None

    def _state(self, key: str, now: int) -> tuple[int, int]:
        """(attempts counted, milliseconds still to wait) of one key."""
        row = self._read(key)
        if row is None or row[1] <= now:
            return 0, 0
        count, expires_at = row
        return count, max(0, expires_at - self.forget_seconds * 1000 - now)

    def peek(self, subject: str) -> tuple[int, int]:
        """(attempts counted, seconds to wait) for a subject, counting nothing."""
        count, wait_ms = self._state(_row_key(self.bucket, subject), _now_ms())
        return count, math.ceil(wait_ms / 1000)

    def take(self, subject: str, *, enforce: bool = True) -> tuple[int, int]:
        """Count one attempt unless its delay still runs.

        Returns (attempts counted now, 0) or, when ``enforce`` and the delay
        runs, (0, seconds to wait) without counting. With ``enforce=False``
        the attempt is counted whatever the delay, and a running delay is
        never shortened.

        A compare-and-set on the row: two workers that read the same count
        cannot both pass, so a burst of parallel guesses is counted one by
        one. Call it outside a transaction that may roll back.
        """
        key = _row_key(self.bucket, subject)
        forget = self.forget_seconds * 1000
        for _ in range(20):
            now = _now_ms()
            row = self._read(key)
            with connection.cursor() as cursor:
                if row is None:
                    expires_at = now + self.delay_ms(1) + forget
                    cursor.execute(
                        'INSERT INTO core_ratecounter ("key", "count", "expires_at") '
                        'VALUES (%s, 1, %s) ON CONFLICT ("key") DO NOTHING',
                        [key, expires_at],
                    )
                    if cursor.rowcount == 1:
                        return 1, 0
                    continue
                count, old_expires = row
                if old_expires <= now:
                    count, old_expires = 0, now  # forgotten: start again
                wait = old_expires - forget - now
                if enforce and wait > 0:
                    return 0, math.ceil(wait / 1000)
                expires_at = max(now + self.delay_ms(count + 1) + forget, old_expires)
                cursor.execute(
                    'UPDATE core_ratecounter SET "count" = %s, "expires_at" = %s '
                    'WHERE "key" = %s AND "count" = %s AND "expires_at" = %s',
                    [count + 1, expires_at, key, row[0], row[1]],
                )
                if cursor.rowcount == 1:
                    return count + 1, 0
        return 0, 1  # never won the race: refuse rather than count nothing

    def give_back(self, subject: str) -> None:
        """Take one counted attempt back (it turned out right, or was never checked)."""
        with connection.cursor() as cursor:
            cursor.execute(
                'UPDATE core_ratecounter SET "count" = "count" - 1 '
                'WHERE "key" = %s AND "count" > 0 AND "expires_at" > %s',
                [_row_key(self.bucket, subject), _now_ms()],
            )

    def clear(self, subject: str) -> None:
        """Forget a subject's attempts and delay."""
        with connection.cursor() as cursor:
            cursor.execute(
                'DELETE FROM core_ratecounter WHERE "key" = %s', [_row_key(self.bucket, subject)]
            )


def purge_expired(now_ms: int | None = None) -> int:
    """Delete the counters of windows that have ended; how many went."""
    from simi.core.models import RateCounter

    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    deleted, _ = RateCounter.objects.filter(expires_at__lte=now_ms).delete()
    return deleted
