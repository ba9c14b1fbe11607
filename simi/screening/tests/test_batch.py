from __future__ import annotations

import csv
from pathlib import Path

import pytest

from simi.screening.batch import InputFormatError, screen_files

WATCHLIST = (
    "id,name,aliases,birth_date,nationality,document_numbers,list_kind,reason\n"
    "w-2,Soekarno Hadi,,1960-01-02,ID,,entry_ban,test\n"
    "w-1,Sukarno Hadi,,,ID,,wanted,test\n"
    "w-3,Djoko Santoso,,1975,ID,,exit_ban,test\n"
)
INPUT = (
    "id,name,birth_date,nationality\n"
    "p1,Sukarno Hadi,1960-01-02,ID\n"
    "p2,Joko Santoso,1975-07-01,\n"
    "p3,Orang Lain,,\n"
    "p4,Bad Date,1960-13-01,ID\n"
    "p5,Bad Country,,IDN\n"
    ",,,\n"
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    (tmp_path / "w.csv").write_text(WATCHLIST, encoding="utf-8")
    (tmp_path / "in.csv").write_text(INPUT, encoding="utf-8")
    return tmp_path / "w.csv", tmp_path / "in.csv", tmp_path / "out.csv"


def test_it_writes_candidates_best_first_and_reports_bad_rows(
    files: tuple[Path, Path, Path],
) -> None:
    watchlist, people, output = files
    stats = screen_files(watchlist, people, output, threshold=0.8)
    with output.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["input_id", "entity_id", "score", "explanation"]
    assert [r[:3] for r in rows[1:]] == [
        ["p1", "w-2", "1.0000"],
        ["p1", "w-1", "0.8800"],
        ["p2", "w-3", "0.8900"],
    ]
    assert rows[1][3].startswith("name 1.00 (sukarno~soekarno); birth date exact +0.12")
    assert stats["inputs"] == 5
    assert stats["bad_rows"] == 2
    assert stats["candidates_written"] == 3
    assert [p.line for p in stats["input_problems"]] == [5, 6]


def test_it_refuses_a_wrong_input_header(files: tuple[Path, Path, Path]) -> None:
    watchlist, people, output = files
    people.write_text("nama,tanggal\nx,y\n")
    with pytest.raises(InputFormatError, match="header must start with"):
        screen_files(watchlist, people, output)


def test_it_validates_the_threshold(files: tuple[Path, Path, Path]) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        screen_files(*files, threshold=1.5)


def test_it_reports_progress(files: tuple[Path, Path, Path]) -> None:
    seen: list[int] = []
    screen_files(*files, progress=seen.append, progress_every=2)
    assert seen == [2, 4]


def test_the_operator_command_screens_the_files(files: tuple[Path, Path, Path]) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    watchlist, people, output = files
    out = StringIO()
    call_command(
        "screen_names",
        "--watchlist",
        str(watchlist),
        "--input",
        str(people),
        "--output",
        str(output),
        stdout=out,
    )
    with output.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["input_id", "entity_id", "score", "explanation"]
    assert rows[1][0] == "p1"
    with pytest.raises(CommandError):
        call_command(
            "screen_names",
            "--watchlist",
            str(watchlist),
            "--input",
            str(people),
            "--output",
            str(output),
            "--threshold",
            "1.5",
        )
