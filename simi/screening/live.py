"""The in-memory matching index of the live entries, one per process.

Built from every live entry of every active watchlist and kept until the
version counter in ``ScreeningControl`` moves (an import, a publication or a
retirement bumps it). Checking costs one indexed single-row query per use.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass

from simi.screening import entities
from simi.screening.matching import ScreeningIndex
from simi.screening.models import EntryStatus, ScreeningControl, Watchlist, WatchlistEntry

log = logging.getLogger(__name__)

LIST_KIND: dict[str, str] = {
    Watchlist.Kind.ENTRY_BAN: entities.ENTRY_BAN,
    Watchlist.Kind.PREVENTION: entities.EXIT_BAN,
    Watchlist.Kind.WANTED: entities.WANTED,
    Watchlist.Kind.LOST_STOLEN_DOCUMENTS: entities.LOST_STOLEN,
    Watchlist.Kind.INTERNATIONAL: entities.IMPORTED,
}


@dataclass(frozen=True, slots=True)
class EntryMeta:
    pk: int
    public_id: str
    watchlist: str
    kind: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class LiveIndex:
    version: str
    index: ScreeningIndex
    meta: dict[str, EntryMeta]  # entity id (entry public id) -> entry


_lock = threading.Lock()
_cached: LiveIndex | None = None


def control() -> ScreeningControl:
    found, _created = ScreeningControl.objects.get_or_create(pk=ScreeningControl.SINGLETON)
    return found


def current_version() -> str:
    stamp = (
        ScreeningControl.objects.filter(pk=ScreeningControl.SINGLETON)
        .values_list("index_stamp", flat=True)
        .first()
    )
    return stamp or ""


def bump_version() -> None:
    """Call inside the transaction that changes the live set."""
    control()
    ScreeningControl.objects.filter(pk=ScreeningControl.SINGLETON).update(
        index_stamp=uuid.uuid4().hex
    )


def entity_of(entry: WatchlistEntry, kind: str) -> entities.Entity:
    return entities.Entity(
        id=str(entry.public_id),
        names=tuple(json.loads(entry.names)),
        birth_dates=tuple(json.loads(entry.birth_dates or "[]")),
        countries=tuple(entry.countries),
        # Tokens, not numbers: a query's numbers are tokenized the same way.
        document_numbers=tuple(entry.document_tokens),
        list_kind=LIST_KIND.get(kind, entities.IMPORTED),
        reason="",
        schema=entry.schema,
    )


def _build(version: str) -> LiveIndex:
    started = time.perf_counter()
    meta: dict[str, EntryMeta] = {}
    found = []
    live = (
        WatchlistEntry.objects.filter(status=EntryStatus.LIVE, watchlist__is_active=True)
        .select_related("watchlist")
        .order_by("id")
    )
    for entry in live.iterator(chunk_size=2000):
        kind = entry.watchlist.kind
        entity = entity_of(entry, kind)
        found.append(entity)
        meta[entity.id] = EntryMeta(
            entry.pk, entity.id, entry.watchlist.code, kind, entry.fingerprint
        )
    index = ScreeningIndex(found)
    log.info(
        "screening index built",
        extra={
            "entries": len(found),
            "index_version": version,
            "seconds": round(time.perf_counter() - started, 3),
        },
    )
    return LiveIndex(version, index, meta)


def live_index() -> LiveIndex:
    """The index for the current version, rebuilt when it moved."""
    global _cached
    version = current_version()
    cached = _cached
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        if _cached is None or _cached.version != version:
            _cached = _build(version)
        return _cached


def forget() -> None:
    """Drop this process's index (tests)."""
    global _cached
    _cached = None
