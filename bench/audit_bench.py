"""Audit log benchmark: what tamper evidence costs.

(a) Durable appends per second through ``audit_record`` (one commit per
    append, and 100 appends per transaction) beside a baseline measured in
    the same run on the same database: raw INSERTs of rows of the same shape
    into a plain table (no index, no trigger, no tree).
(b) Inclusion and consistency proofs at 10k, 100k and 1M leaves: time and
    size, from an in-memory node store built with the same merkle.py code,
    against the 32 * ceil(log2 N) bytes bound.

Runs on whatever DATABASE_URL names (SQLite by default) but never on that
database itself: it creates a throwaway one (var/bench/*.sqlite3, or a
``<name>_audit_bench`` PostgreSQL database), migrates it and drops it.

    .venv/bin/python bench/run.py audit      (or: make bench)
    BENCH_APPENDS=5000 ...                  appends per measurement (default 2000)
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
APPENDS = int(os.environ.get("BENCH_APPENDS", "2000"))
BATCH = 100
PROOF_SIZES = (10_000, 100_000, 1_000_000)
PROOFS_PER_SIZE = 2000
RESULTS = ROOT / "bench" / "results" / "audit.json"


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simi.settings_test")
    import django

    django.setup()


@contextmanager
def _throwaway_database() -> Iterator[str]:
    """A fresh, migrated database for the run; dropped afterwards whatever happens."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        name = str(folder / f"audit-{os.getpid()}.sqlite3")
        settings["TEST"] = {**settings.get("TEST", {}), "NAME": name}
    else:
        settings["TEST"] = {**settings.get("TEST", {}), "NAME": f"{settings['NAME']}_audit_bench"}
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection.settings_dict["NAME"]
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
        if connection.vendor == "sqlite":
            folder = ROOT / "var" / "bench"
            for leftover in folder.glob(f"audit-{os.getpid()}.sqlite3*"):
                leftover.unlink()
            if not any(folder.iterdir()):
                folder.rmdir()


def _durability() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            level = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[cursor.fetchone()[0]]
            note = " (WAL+NORMAL: a commit survives a process crash, not a power cut)"
            return f"SQLite journal_mode={journal} synchronous={level}" + (
                note if level == "NORMAL" else ""
            )
        cursor.execute("SHOW fsync")
        fsync = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        sync = cursor.fetchone()[0]
        return f"PostgreSQL fsync={fsync} synchronous_commit={sync}"


def _rate(count: int, per_commit: int, append: Callable[[int], None]) -> float:
    from django.db import transaction

    started = time.perf_counter()
    for first in range(0, count, per_commit):
        with transaction.atomic():
            for seq in range(first, min(first + per_commit, count)):
                append(seq)
    return count / (time.perf_counter() - started)


def _audit_append(seq: int) -> None:
    from simi.audit.services import audit_record

    audit_record(
        actor=None,
        action="bench.append",
        data={"seq": seq, "code": "BENCH-000123"},
        purpose="benchmark",
    )


def _plain_table() -> Callable[[int], None]:
    """Same columns as audit_auditentry, no key, index or trigger; the same values."""
    from django.db import connection
    from django.utils import timezone

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_plain_entry")
        cursor.execute(
            "CREATE TABLE bench_plain_entry AS SELECT * FROM audit_auditentry WHERE 1 = 0"
        )
    columns = [
        "id", "occurred_at", "actor_id", "actor_role", "office_id", "action", "object_type",
        "object_id", "purpose", "data", "request_id", "leaf_index", "leaf_hash",
    ]  # fmt: skip
    sql = (
        f"INSERT INTO bench_plain_entry ({', '.join(columns)}) "  # noqa: S608 - constant names
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )

    def insert(seq: int) -> None:
        data = json.dumps({"code": "BENCH-000123", "seq": seq})
        digest = hashlib.sha256(data.encode()).digest()
        row = [seq + 1, timezone.now(), None, "", None, "bench.append", "", "", "benchmark"]
        row += [data, "", seq, digest]
        with connection.cursor() as cursor:
            cursor.execute(sql, row)

    return insert


def bench_appends() -> dict[str, Any]:
    from django.db import connection

    from simi.audit.tree import tree_inclusion_proof

    print(f"(a) appends on {connection.vendor}: {_durability()}")
    plain = _plain_table()
    rows = []
    for label, per_commit in (("one commit per append", 1), (f"{BATCH} per transaction", BATCH)):
        baseline = _rate(APPENDS, per_commit, plain)
        audited = _rate(APPENDS, per_commit, _audit_append)
        rows.append(
            {
                "mode": label,
                "audit_per_s": audited,
                "plain_per_s": baseline,
                "ratio": audited / baseline,
            }
        )
    print(f"    {'mode':<24}{'audit_record/s':>16}{'plain INSERT/s':>16}{'audit/plain':>13}")
    for row in rows:
        print(
            f"    {row['mode']:<24}{row['audit_per_s']:>16,.0f}{row['plain_per_s']:>16,.0f}"
            f"{row['ratio']:>12.2f}x"
        )
    # One proof from the node table, to show the query is not the cost.
    size = 2 * APPENDS
    started = time.perf_counter()
    for index in random.sample(range(size), 200):
        tree_inclusion_proof(index, size)
    per_proof = (time.perf_counter() - started) / 200 * 1e6
    print(f"    inclusion proof from the node table at {size:,} leaves: {per_proof:,.0f} us")
    return {
        "database": connection.vendor,
        "durability": _durability(),
        "appends": rows,
        "db_inclusion_proof_us": per_proof,
    }


class LevelStore:
    """Perfect-subtree hashes of synthetic leaves, one bytearray per level."""

    def __init__(self, leaves: int) -> None:
        from simi.audit import merkle

        level = bytearray()
        for i in range(leaves):
            level += merkle.leaf_hash(i.to_bytes(8, "big"))
        self.levels = [level]
        while len(level) >= 64:
            below = memoryview(level)
            level = bytearray()
            for offset in range(0, len(below) - 63, 64):
                level += merkle.node_hash(
                    below[offset : offset + 32], below[offset + 32 : offset + 64]
                )
            self.levels.append(level)

    def get(self, level: int, index: int) -> bytes:
        return bytes(self.levels[level][index * 32 : index * 32 + 32])


def _per_call_us(calls: list[Callable[[], Any]]) -> tuple[float, list[Any]]:
    started = time.perf_counter()
    results = [call() for call in calls]
    return (time.perf_counter() - started) / len(calls) * 1e6, results


def _proof_row(size: int, kind: str, make: float, check: float, made: list[list[bytes]]) -> dict:
    sizes = [32 * len(proof) for proof in made]
    return {
        "leaves": size,
        "proof": kind,
        "make_us": make,
        "check_us": check,
        "mean_bytes": statistics.mean(sizes),
        "max_bytes": max(sizes),
        "bound_bytes": 32 * math.ceil(math.log2(size)),
    }


def _proofs_at(size: int, store: LevelStore, rng: random.Random) -> list[dict[str, Any]]:
    from simi.audit import merkle

    get = store.get
    root = merkle.root(size, get)
    indexes = [rng.randrange(size) for _ in range(PROOFS_PER_SIZE)]
    olds = [rng.randrange(1, size) for _ in range(PROOFS_PER_SIZE)]
    old_roots = [merkle.root(old, get) for old in olds]

    make_i, paths = _per_call_us(
        [lambda i=i: merkle.inclusion_proof(i, size, get) for i in indexes]
    )
    leaves = [get(0, i) for i in indexes]
    check_i, good_i = _per_call_us(
        [
            lambda i=i, leaf=leaf, p=p: merkle.verify_inclusion(
                leaf=leaf, index=i, size=size, proof=p, root_hash=root
            )
            for i, leaf, p in zip(indexes, leaves, paths, strict=True)
        ]
    )
    make_c, proofs = _per_call_us(
        [lambda m=m: merkle.consistency_proof(m, size, get) for m in olds]
    )
    check_c, good_c = _per_call_us(
        [
            lambda m=m, r=r, p=p: merkle.verify_consistency(
                old_size=m, new_size=size, old_root=r, new_root=root, proof=p
            )
            for m, r, p in zip(olds, old_roots, proofs, strict=True)
        ]
    )
    if not (all(good_i) and all(good_c)):
        raise AssertionError(f"a proof failed to verify at {size} leaves")
    return [
        _proof_row(size, "inclusion", make_i, check_i, paths),
        _proof_row(size, "consistency", make_c, check_c, proofs),
    ]


def bench_proofs() -> list[dict[str, Any]]:
    started = time.perf_counter()
    store = LevelStore(max(PROOF_SIZES))
    built = time.perf_counter() - started
    print(f"(b) proofs from a node store of {max(PROOF_SIZES):,} leaves (built in {built:.1f} s)")
    print(
        f"    {'N':>9}  {'proof':<12}{'make us':>9}{'check us':>10}{'mean B':>8}{'max B':>7}"
        f"{'32*ceil(log2 N) B':>19}"
    )
    rng = random.Random(6962)
    rows = []
    for size in PROOF_SIZES:
        for row in _proofs_at(size, store, rng):
            rows.append(row)
            print(
                f"    {size:>9,}  {row['proof']:<12}{row['make_us']:>9.1f}{row['check_us']:>10.1f}"
                f"{row['mean_bytes']:>8.0f}{row['max_bytes']:>7}{row['bound_bytes']:>19}"
            )
    print("    (a consistency proof may hold one node more than that: ceil(log2 N) + 1)")
    return rows


def main() -> None:
    _setup_django()
    random.seed(9162)
    with _throwaway_database() as name:
        print(f"throwaway database: {name}")
        appends = bench_appends()
    proofs = bench_proofs()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"appends": appends, "proofs": proofs}, indent=2) + "\n")
    print(f"figures written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
