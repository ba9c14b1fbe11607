"""The block layout of the index (length class x birth-year bucket), the
precomputed typo neighbours and the bench's exhaustive baseline: retrieval
must stay complete whatever the birth dates, lengths and thresholds."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path
from types import ModuleType

import pytest
from rapidfuzz.distance import Levenshtein

from simi.screening.entities import Entity, Query
from simi.screening.matching import ScreeningIndex, _NearIndex

BENCH = Path(__file__).resolve().parents[3] / "bench" / "screening_bench.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screening_bench_under_test", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _bench()


def test_a_namesake_born_another_year_is_found_when_the_threshold_allows_it() -> None:
    # given the same name listed with another birth year, with none and with two
    index = ScreeningIndex(
        [
            Entity(
                "other-year", ("Agus Setiawan",), birth_dates=("1992-11-30",), countries=("ID",)
            ),
            Entity("no-date", ("Agus Setiawan",), countries=("ID",)),
            Entity("two-years", ("Agus Setiawan",), birth_dates=("1979", "1980-03-04")),
            Entity("same", ("Agus Setiawan",), birth_dates=("1980-03-04",), countries=("ID",)),
        ]
    )
    query = Query("q", "Agus Setiawan", birth_date="1980-03-04", nationality="ID")
    # when / then: 0.85 - 0.15 + 0.03 = 0.73 reaches 0.6 but not 0.8
    assert {m.entity_id for m in index.screen(query, 0.6)} == {
        "other-year",
        "no-date",
        "two-years",
        "same",
    }
    assert {m.entity_id for m in index.screen(query, 0.8)} == {"no-date", "two-years", "same"}
    for threshold in (0.6, 0.7, 0.8, 0.9):
        assert index.screen(query, threshold) == index.screen_exhaustive(query, threshold)


def test_an_entry_added_after_the_build_is_screened() -> None:
    index = ScreeningIndex([Entity("a", ("Rina Marlina",))])
    assert index.screen(Query("q", "Dedi Kurnia")) == []
    index.add(Entity("b", ("Dedi Kurniawan",)))
    assert [m.entity_id for m in index.screen(Query("q", "Dedi Kurniawan"))] == ["b"]
    assert len(index) == 2


def test_typo_neighbours_equal_a_scan_of_every_key() -> None:
    # given a vocabulary of made-up keys and misspelt probes
    rng = random.Random(4)
    letters = "aiueokrstnmyhgbdl"
    keys = sorted(
        {"".join(rng.choice(letters) for _ in range(rng.randint(2, 14))) for _ in range(3000)}
    )
    index, found = _NearIndex.neighbours(keys, 4)
    probes = []
    for key in rng.sample(keys, 200):
        at = rng.randrange(len(key))
        probes += [
            key,
            key[:at] + key[at + 1 :],
            key[:at] + "x" + key[at:],
            key[:at] + "q" + key[at + 1 :],
        ]

    def scan(probe: str) -> set[str]:
        return {
            k
            for k in keys
            if k != probe and Levenshtein.distance(probe, k) <= max(len(probe), len(k)) // 4
        }

    # when / then: the self-join and the query-time search agree with the scan
    for key in keys[:400]:
        assert set(found[key]) == scan(key)
    for probe in probes:
        assert set(index.near(probe)) - {probe} == scan(probe)


def test_the_bench_baseline_equals_scoring_every_entry(bench: ModuleType) -> None:
    # given the bench's synthetic watchlist and its variant queries
    entities = bench.synthetic_watchlist(2500, seed=3)
    index = ScreeningIndex(entities)
    baseline = bench.ExhaustiveScan(index)
    queries = bench.synthetic_queries(entities, 60, seed=8)
    # when / then
    for query, _, _ in queries:
        found, _ = baseline.screen(query, 0.6)
        assert found == index.screen_exhaustive(query, 0.6)


@pytest.fixture(scope="module")
def listed(bench: ModuleType) -> tuple[ScreeningIndex, object, list]:
    # 12,000 synthetic entries (common given names, old spellings, titles,
    # patronymics, aliases) and 300 queries with name variants
    entities = bench.synthetic_watchlist(12_000, seed=11)
    index = ScreeningIndex(entities)
    return index, bench.ExhaustiveScan(index), bench.synthetic_queries(entities, 300, seed=12)


@pytest.mark.parametrize("threshold", [0.6, 0.7, 0.8, 0.9])
def test_the_index_finds_everything_the_baseline_finds(
    listed: tuple[ScreeningIndex, object, list], threshold: float
) -> None:
    index, baseline, queries = listed
    # when
    wanted = {
        (q.id, m.entity_id)
        for q, _, _ in queries
        for m in baseline.screen(q, threshold)[0]  # type: ignore[attr-defined]
    }
    got = {(q.id, m.entity_id) for q, _, _ in queries for m in index.screen(q, threshold)}
    # then: complete retrieval, nothing beyond the threshold
    assert len(wanted) >= 60
    assert wanted == got
