"""Screening benchmark: indexed retrieval against scoring every entry.

Builds the index over 100,000 synthetic entries (syllable names, no real
person), screens 1,000 queries (misspelled copies of listed names), and
compares with brute-force scoring of every entry for a few queries, measured
in the same run and extrapolated per query.

    .venv/bin/python bench/run.py screening
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simi.screening.entities import Query
from simi.screening.matching import ScreeningIndex
from simi.screening.tests.synthetic import synthetic_entities

ENTRIES = int(os.environ.get("BENCH_SCREEN_ENTRIES", "100000"))
QUERIES = 1000
BASELINE_QUERIES = int(os.environ.get("BENCH_SCREEN_BASELINE", "20"))


def _misspell(name: str, rng: random.Random) -> str:
    i = rng.randrange(len(name))
    return name[:i] + rng.choice("aeiouxk") + name[i + 1 :]


def main() -> None:
    rng = random.Random(11)
    entities = synthetic_entities(ENTRIES)
    started = time.perf_counter()
    index = ScreeningIndex(entities)
    build = time.perf_counter() - started
    targets = [rng.randrange(ENTRIES) for _ in range(QUERIES)]
    queries = [Query(f"q{i}", _misspell(entities[t].names[0], rng)) for i, t in enumerate(targets)]

    started = time.perf_counter()
    candidates = found = 0
    for target, query in zip(targets, queries, strict=True):
        candidates += len(index.candidates(query))
        found += any(m.entity_id == entities[target].id for m in index.screen(query, 0.7))
    indexed = (time.perf_counter() - started) / QUERIES

    started = time.perf_counter()
    exhaustive = [index.screen_exhaustive(q, 0.8) for q in queries[:BASELINE_QUERIES]]
    brute = (time.perf_counter() - started) / BASELINE_QUERIES
    wanted = {(q.id, m.entity_id) for q, ms in zip(queries, exhaustive, strict=False) for m in ms}
    got = {(q.id, m.entity_id) for q in queries[:BASELINE_QUERIES] for m in index.screen(q, 0.8)}

    print(f"entries {ENTRIES:,}, index build {build:.1f} s")
    print(
        f"indexed: {1 / indexed:,.0f} queries/s ({indexed * 1000:.2f} ms/query), "
        f"mean candidates {candidates / QUERIES:.1f}, true match found {found / QUERIES:.1%} "
        f"(one random edit, threshold 0.7)"
    )
    print(
        f"brute force ({BASELINE_QUERIES} queries, every entry scored): "
        f"{1 / brute:,.2f} queries/s ({brute * 1000:.0f} ms/query)"
    )
    print(f"speed-up: {brute / indexed:,.0f}x")
    recall = len(wanted & got) / len(wanted) if wanted else 1.0
    print(f"recall of the brute-force matches >= 0.8 on those queries: {recall:.1%}")


if __name__ == "__main__":
    main()
