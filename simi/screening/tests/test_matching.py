from __future__ import annotations

import pytest

from simi.screening.entities import LOST_STOLEN, WANTED, Entity, Query
from simi.screening.matching import ScreeningIndex
from simi.screening.tests.synthetic import synthetic_entities


def _top(index: ScreeningIndex, query: Query) -> tuple[str, float]:
    matches = index.screen(query)
    assert matches, f"no candidate for {query.name!r}"
    return matches[0].entity_id, matches[0].score


@pytest.mark.parametrize(
    ("listed", "queried"),
    [
        ("Soekarno", "Sukarno"),
        ("Djoko Widodo", "Joko Widodo"),
        ("Tjahjo Koemolo", "Cahyo Kumolo"),
        ("Jusuf Kalianda", "Yusuf Kalianda"),
        ("Chairul Tandjung", "Khairul Tanjung"),
        ("Abdoel Moeis", "Abdul Muis"),
        ("H. Muhammad Yusuf bin Abdullah, S.H.", "Mohammad Jusuf"),
        ("Budi Santoso Wirawan", "Wirawan Budi Santoso"),
        ("Abdul Rahman Lubis", "A. Rahman Lubis"),
        ("Sutrisno Hadiwijaya", "Sutrisna Hadiwjaya"),
    ],
)
def test_it_matches_labelled_pairs_above_the_threshold(listed: str, queried: str) -> None:
    # given a list with the person and unrelated synthetic people
    index = ScreeningIndex([Entity("target", (listed,)), *synthetic_entities(500)])
    # when / then
    entity_id, score = _top(index, Query("q", queried))
    assert entity_id == "target"
    assert score >= 0.8


def test_it_explains_each_contribution() -> None:
    index = ScreeningIndex(
        [Entity("e1", ("Muhammad Soekarno",), birth_dates=("1960-01-02",), countries=("ID",))]
    )
    match = index.screen(Query("q", "M. Sukarno", birth_date="1960-01-02", nationality="ID"))[0]
    assert [f.name for f in match.factors] == ["name", "birth date", "nationality"]
    assert match.explanation.startswith("name 0.95 (initials M=muhammad, sukarno~soekarno)")
    assert "birth date exact +0.12; nationality same +0.03" in match.explanation
    assert 0.0 <= match.score <= 1.0


def test_a_common_name_with_another_birth_date_ranks_below_the_threshold() -> None:
    index = ScreeningIndex(
        [
            Entity("same", ("Agus Setiawan",), birth_dates=("1980-03-04",), countries=("ID",)),
            Entity("other", ("Agus Setiawan",), birth_dates=("1992-11-30",), countries=("ID",)),
        ]
    )
    matches = index.screen(Query("q", "Agus Setiawan", birth_date="1980-03-04", nationality="ID"))
    scores = {m.entity_id: m.score for m in matches}
    assert scores["same"] > scores["other"]
    assert scores["other"] < 0.8 <= scores["same"]


def test_a_different_nationality_costs_score() -> None:
    index = ScreeningIndex([Entity("e1", ("Rina Marlina",), countries=("MY",))])
    same = index.screen(Query("q", "Rina Marlina", nationality="MY"))[0].score
    other = index.screen(Query("q", "Rina Marlina", nationality="ID"))[0].score
    assert other < same


def test_a_lost_or_stolen_document_is_always_returned_with_full_score() -> None:
    index = ScreeningIndex(
        [
            Entity(
                "doc", ("Unrelated Holder",), document_numbers=("B1234567",), list_kind=LOST_STOLEN
            ),
            *synthetic_entities(2000),
        ]
    )
    matches = index.screen(
        Query("q", "Zzyzx Qwerty", document_numbers=("B1234567",)), threshold=0.99
    )
    assert [(m.entity_id, m.score) for m in matches] == [("doc", 1.0)]
    assert "reported lost/stolen" in matches[0].explanation


def test_a_document_on_another_list_only_adds_evidence() -> None:
    index = ScreeningIndex(
        [Entity("w", ("Dedi Kurnia",), document_numbers=("X9",), list_kind=WANTED)]
    )
    match = index.screen(Query("q", "Dedi Kurnia", document_numbers=("X9",)))[0]
    assert match.score == 1.0
    assert index.screen(Query("q", "Other Person", document_numbers=("X9",)))[0].score < 0.8


def test_ordering_is_by_score_then_entity_id() -> None:
    index = ScreeningIndex([Entity(i, ("Siti Rahayu",)) for i in ("c", "a", "b")])
    assert [m.entity_id for m in index.screen(Query("q", "Siti Rahayu"))] == ["a", "b", "c"]


def test_retrieval_does_not_scan_the_list() -> None:
    # given 20,000 synthetic entries and one of them misspelled in the query
    entities = synthetic_entities(20_000)
    index = ScreeningIndex(entities)
    position = next(i for i in range(12_345, 20_000) if len(entities[i].names[0].split()) == 3)
    target = entities[position]
    name = target.names[0]
    misspelled = name[:3] + ("x" if name[3] != "x" else "y") + name[4:]
    query = Query("q", misspelled)
    # when
    candidates = index.candidates(query)
    # then
    assert len(candidates) < 0.02 * len(entities)
    assert position in candidates
    assert index.screen(query)[0].entity_id == target.id


def test_index_results_agree_with_the_exhaustive_scan() -> None:
    entities = synthetic_entities(3000, seed=3)
    index = ScreeningIndex(entities)
    for entity in entities[:50]:
        query = Query("q", entity.names[0], birth_date=entity.birth_dates[0])
        assert index.screen(query, 0.8) == index.screen_exhaustive(query, 0.8)


def test_index_recall_against_the_exhaustive_scan_with_typos() -> None:
    # given 3,000 synthetic entries and 200 queries with one random edit each
    import random

    entities = synthetic_entities(3000, seed=5)
    index = ScreeningIndex(entities)
    rng = random.Random(23)
    queries = []
    for number in range(200):
        name = entities[rng.randrange(len(entities))].names[0]
        i = rng.randrange(len(name))
        queries.append(Query(f"q{number}", name[:i] + rng.choice("aeiouxk ") + name[i + 1 :]))
    # when
    wanted = {(q.id, m.entity_id) for q in queries for m in index.screen_exhaustive(q, 0.8)}
    got = {(q.id, m.entity_id) for q in queries for m in index.screen(q, 0.8)}
    # then
    assert len(wanted) >= 100
    assert len(wanted & got) / len(wanted) >= 0.99
