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
    for query in queries:
        index.screen(query, 0.8)
    screen_only = (time.perf_counter() - started) / QUERIES

    started = time.perf_counter()
    baseline = queries[:BASELINE_QUERIES]
    exhaustive = [index.screen_exhaustive(q, 0.7) for q in baseline]
    brute = (time.perf_counter() - started) / BASELINE_QUERIES
    recall = {}
    for threshold in (0.8, 0.7):
        wanted = {
            (q.id, m.entity_id)
            for q, ms in zip(baseline, exhaustive, strict=True)
            for m in ms
            if m.score >= threshold
        }
        got = {(q.id, m.entity_id) for q in baseline for m in index.screen(q, threshold)}
        recall[threshold] = (len(wanted & got) / len(wanted) if wanted else 1.0, len(wanted))

    print(f"entries {ENTRIES:,}, index build {build:.1f} s")
    print(
        f"indexed: {1 / indexed:,.0f} queries/s ({indexed * 1000:.2f} ms/query), "
        f"mean candidates {candidates / QUERIES:.1f}, true match found {found / QUERIES:.1%} "
        f"(one random edit, threshold 0.7)"
    )
    print(f"screen() alone at 0.8: {1 / screen_only:,.0f} queries/s ({screen_only * 1000:.2f} ms)")
    print(
        f"brute force ({BASELINE_QUERIES} queries, every entry scored): "
        f"{1 / brute:,.2f} queries/s ({brute * 1000:.0f} ms/query)"
    )
    print(f"speed-up: {brute / indexed:,.0f}x")
    for threshold, (value, pairs) in recall.items():
        print(
            f"recall of the brute-force matches >= {threshold} on those queries: "
            f"{value:.1%} ({pairs} pairs)"
        )


if __name__ == "__main__":
    main()
