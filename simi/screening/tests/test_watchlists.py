from __future__ import annotations

import json
from pathlib import Path

import pytest

from simi.screening.entities import LOST_STOLEN
from simi.screening.watchlists import (
    FTM,
    OPENSANCTIONS,
    SIMI,
    RowProblem,
    WatchlistFormatError,
    detect_format,
    read_watchlist,
)

OS_HEADER = (
    "id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,"
    "emails,dataset,first_seen,last_seen,last_change\n"
)


def _read(path: Path) -> tuple[list, list[RowProblem]]:
    problems: list[RowProblem] = []
    return list(read_watchlist(path, problems)), problems


def test_it_reads_the_opensanctions_simple_csv(tmp_path: Path) -> None:
    path = tmp_path / "targets.simple.csv"
    path.write_text(
        OS_HEADER
        + 'os-1,Person,Kartono Wirya,"Kartono W.;K. Wirya",1970;1971-05,id;my,,P123;A-45,UN,,,'
        "un_sc,"
        "2020-01-01,2024-01-01,2024-01-01\n" + "os-2,Person,,,,,,,,,,un_sc,,,\n",
        encoding="utf-8",
    )
    assert detect_format(path) == OPENSANCTIONS
    entities, problems = _read(path)
    assert len(entities) == 1
    entity = entities[0]
    assert entity.names == ("Kartono Wirya", "Kartono W.", "K. Wirya")
    assert entity.birth_dates == ("1970", "1971-05")
    assert entity.countries == ("ID", "MY")
    assert entity.document_numbers == ("P123", "A45")
    assert [str(p) for p in problems] == ["line 3: id and name are required"]


def test_it_reads_followthemoney_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    good = {
        "id": "ftm-1",
        "schema": "Person",
        "properties": {
            "name": ["Sulastri Pane"],
            "alias": ["Soelastri Pane"],
            "birthDate": ["1965-02-03", "sometime"],
            "nationality": ["id"],
            "passportNumber": ["C 765 432"],
        },
    }
    path.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"id": "x"}) + "\n")
    assert detect_format(path) == FTM
    entities, problems = _read(path)
    assert [e.id for e in entities] == ["ftm-1"]
    assert entities[0].document_numbers == ("C765432",)
    assert entities[0].birth_dates == ("1965-02-03",)
    assert [p.line for p in problems] == [1, 2, 3]
    assert "invalid JSON" in problems[1].message


def test_it_reads_simi_csv_and_rejects_unknown_list_kinds(tmp_path: Path) -> None:
    path = tmp_path / "simi.csv"
    path.write_text(
        "id,name,aliases,birth_date,nationality,document_numbers,list_kind,reason\n"
        "s-1,Dokumen Hilang,,,ID,B1234567,lost_stolen,Laporan kehilangan\n"
        "s-2,Nama Orang,,,ID,,unknown,\n",
        encoding="utf-8",
    )
    assert detect_format(path) == SIMI
    entities, problems = _read(path)
    assert entities[0].list_kind == LOST_STOLEN
    assert entities[0].document_numbers == ("B1234567",)
    assert problems[0].line == 3


def test_it_reports_undecodable_lines_without_stopping(tmp_path: Path) -> None:
    path = tmp_path / "simi.csv"
    path.write_bytes(
        b"id,name,aliases,birth_date,nationality,document_numbers,list_kind,reason\n"
        b"s-1,Nama \xff Rusak,,,,,wanted,\n"
        b"s-2,Nama Baik,,,,,wanted,\n"
    )
    entities, problems = _read(path)
    assert [e.id for e in entities] == ["s-2"]
    assert problems[0].line == 2
    assert "not UTF-8" in problems[0].message


def test_it_refuses_an_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("foo,bar\n1,2\n")
    with pytest.raises(WatchlistFormatError, match="first line"):
        detect_format(path)
