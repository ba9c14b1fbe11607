"""Batch screening of a CSV of people against a watchlist file."""

from __future__ import annotations

import csv
import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from simi.screening.entities import Query
from simi.screening.matching import ScreeningIndex
from simi.screening.normalize import normalize_document_number, normalize_name
from simi.screening.watchlists import RowProblem, decoded_lines, read_watchlist

INPUT_COLUMNS = ("id", "name", "birth_date", "nationality")
OUTPUT_COLUMNS = ("input_id", "entity_id", "score", "explanation")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class InputFormatError(ValueError):
    """The input file cannot be screened at all (e.g. wrong header)."""


def _query(row: dict[str, str | None], line: int, problems: list[RowProblem]) -> Query | None:
    def field(name: str) -> str:
        return (row.get(name) or "").strip()

    errors = []
    if not field("id"):
        errors.append("id is empty")
    if not normalize_name(field("name")).tokens:
        errors.append("name has no letters left after removing titles")
    birth_date = field("birth_date")
    if birth_date:
        try:
            if not _ISO_DATE.match(birth_date):
                raise ValueError
            dt.date.fromisoformat(birth_date)
        except ValueError:
            errors.append(f"birth_date {birth_date!r} is not an ISO date (YYYY-MM-DD)")
    nationality = field("nationality").upper()
    if nationality and not _COUNTRY.match(nationality):
        errors.append(f"nationality {nationality!r} is not ISO 3166 alpha-2")
    if errors:
        problems.append(RowProblem(line, "; ".join(errors)))
        return None
    document = normalize_document_number(field("document_number"))
    return Query(
        id=field("id"),
        name=field("name"),
        birth_date=birth_date or None,
        nationality=nationality or None,
        document_numbers=(document,) if document else (),
    )


def read_queries(path: Path, problems: list[RowProblem]) -> Iterator[Query | None]:
    """One item per data row: a Query, or None for a bad row (reported in problems)."""
    with path.open("rb") as stream:
        reader = csv.DictReader(decoded_lines(stream, problems))
        header = tuple(c.strip().lower() for c in reader.fieldnames or ())
        if header[: len(INPUT_COLUMNS)] != INPUT_COLUMNS:
            raise InputFormatError(
                f"{path}: header must start with {','.join(INPUT_COLUMNS)} "
                f"(an optional document_number column may follow), got {','.join(header)}"
            )
        reader.fieldnames = list(header)
        for row in reader:
            if None in row:
                problems.append(RowProblem(reader.line_num, "more fields than the header"))
                yield None
            elif any((v or "").strip() for v in row.values()):
                yield _query(row, reader.line_num, problems)


def screen_files(
    watchlist_path: Path | str,
    input_path: Path | str,
    output_path: Path | str,
    threshold: float = 0.8,
    *,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 1000,
) -> dict[str, object]:
    """Screen every input row; write candidates at or above ``threshold``.

    Returns counts and the problems found (watchlist and input, with line numbers).
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold must be between 0 and 1")
    started = time.perf_counter()
    watchlist_problems: list[RowProblem] = []
    index = ScreeningIndex(read_watchlist(Path(watchlist_path), watchlist_problems))
    indexed = time.perf_counter()
    input_problems: list[RowProblem] = []
    inputs = bad = written = with_hits = 0
    with Path(output_path).open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(OUTPUT_COLUMNS)
        for query in read_queries(Path(input_path), input_problems):
            inputs += 1
            if query is None:
                bad += 1
            else:
                matches = index.screen(query, threshold)
                with_hits += bool(matches)
                for match in matches:
                    writer.writerow(
                        (query.id, match.entity_id, f"{match.score:.4f}", match.explanation)
                    )
                written += len(matches)
            if progress is not None and inputs % progress_every == 0:
                progress(inputs)
    # Undecodable lines are reported by the decoder but yield no row.
    undecodable = sum(1 for p in input_problems if p.message.startswith("not UTF-8"))
    inputs, bad = inputs + undecodable, bad + undecodable
    return {
        "entities": len(index),
        "watchlist_problems": watchlist_problems,
        "inputs": inputs,
        "bad_rows": bad,
        "input_problems": input_problems,
        "inputs_with_hits": with_hits,
        "candidates_written": written,
        "index_seconds": round(indexed - started, 3),
        "seconds": round(time.perf_counter() - started, 3),
    }
