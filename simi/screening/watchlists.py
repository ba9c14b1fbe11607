"""Watchlist readers: OpenSanctions targets.simple.csv, FollowTheMoney JSON
lines, and SIMI's own CSV. The format is detected from the first line.

Readers stream: one pass over the file, one entry at a time. A malformed row
is recorded as a ``RowProblem`` with its line number and skipped, so one bad
line in a million does not stop an import.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from simi.screening.entities import IMPORTED, LIST_KINDS, Entity
from simi.screening.normalize import normalize_document_number

OPENSANCTIONS = "opensanctions"
FTM = "ftm"
SIMI = "simi"

OPENSANCTIONS_COLUMNS = (
    "id", "schema", "name", "aliases", "birth_date", "countries", "addresses",
    "identifiers", "sanctions", "phones", "emails", "dataset", "first_seen",
    "last_seen", "last_change",
)  # fmt: skip
SIMI_COLUMNS = (
    "id", "name", "aliases", "birth_date", "nationality", "document_numbers",
    "list_kind", "reason",
)  # fmt: skip
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class WatchlistFormatError(ValueError):
    """The file is not in any watchlist format SIMI reads."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def decoded_lines(stream: IO[bytes], problems: list[RowProblem]) -> Iterator[str]:
    """UTF-8 lines; an undecodable line is reported and replaced by an empty one
    so that line numbers downstream stay true."""
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                RowProblem(
                    number, f"not UTF-8 (byte {raw[exc.start]:#04x} at column {exc.start + 1})"
                )
            )
            yield "\n"


def detect_format(path: Path) -> str:
    with path.open("rb") as stream:
        first = stream.readline()
    return detect_format_of_line(first, str(path))


def detect_format_of_line(first: bytes, source: str = "file") -> str:
    """The format named by a file's first line (raises WatchlistFormatError)."""
    first = first.lstrip(b"\xef\xbb\xbf").strip()
    if first.startswith(b"{"):
        return FTM
    header = tuple(
        c.strip().lower() for c in next(csv.reader([first.decode("utf-8", "replace")]), [])
    )
    if header[: len(OPENSANCTIONS_COLUMNS)] == OPENSANCTIONS_COLUMNS or (
        {"id", "schema", "name", "aliases", "birth_date", "countries"} <= set(header)
    ):
        return OPENSANCTIONS
    if {"id", "name", "list_kind"} <= set(header):
        return SIMI
    raise WatchlistFormatError(
        f"{source}: first line is neither a FollowTheMoney JSON object nor an OpenSanctions "
        f"targets.simple.csv or SIMI watchlist header (got {first[:80]!r})"
    )


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _dates(values: list[str], line: int, problems: list[RowProblem]) -> tuple[str, ...]:
    good = []
    for value in values:
        if _PARTIAL_DATE.match(value):
            good.append(value)
        else:
            problems.append(RowProblem(line, f"birth date {value!r} ignored: not YYYY[-MM[-DD]]"))
    return tuple(good)


def _countries(values: list[str], line: int, problems: list[RowProblem]) -> tuple[str, ...]:
    good = []
    for value in (v.upper() for v in values):
        if _COUNTRY.match(value):
            good.append(value)
        else:
            problems.append(RowProblem(line, f"country {value!r} ignored: not ISO alpha-2"))
    return tuple(good)


def _documents(values: list[str]) -> tuple[str, ...]:
    return tuple(n for n in dict.fromkeys(normalize_document_number(v) for v in values) if n)


def _csv_entities(lines: Iterator[str], kind: str, problems: list[RowProblem]) -> Iterator[Entity]:
    reader = csv.DictReader(lines)
    for row in reader:
        line = reader.line_num
        if None in row or not any((v or "").strip() for v in row.values()):
            if None in row:
                problems.append(RowProblem(line, "more fields than the header"))
            continue
        entity_id, name = (row.get("id") or "").strip(), (row.get("name") or "").strip()
        if not entity_id or not name:
            problems.append(RowProblem(line, "id and name are required"))
            continue
        aliases = _split(row.get("aliases"))
        dates = _dates(_split(row.get("birth_date")), line, problems)
        if kind == OPENSANCTIONS:
            countries = _countries(_split(row.get("countries")), line, problems)
            documents = _documents(_split(row.get("identifiers")))
            list_kind, reason = IMPORTED, (row.get("sanctions") or row.get("dataset") or "")
            schema = (row.get("schema") or "").strip() or "Person"
        else:
            countries = _countries(_split(row.get("nationality")), line, problems)
            documents = _documents(_split(row.get("document_numbers")))
            list_kind, reason = (row.get("list_kind") or "").strip(), row.get("reason") or ""
            schema = "Person"
            if list_kind not in LIST_KINDS:
                problems.append(
                    RowProblem(line, f"list_kind {list_kind!r} not one of {sorted(LIST_KINDS)}")
                )
                continue
        yield Entity(
            entity_id, (name, *aliases), dates, countries, documents, list_kind, reason, schema
        )


def _strings(properties: dict[str, Any], *names: str) -> list[str]:
    values: list[str] = []
    for name in names:
        raw = properties.get(name) or []
        values.extend(str(v).strip() for v in (raw if isinstance(raw, list) else [raw]))
    return [v for v in values if v]


def _ftm_entities(lines: Iterator[str], problems: list[RowProblem]) -> Iterator[Entity]:
    for line, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(RowProblem(line, f"invalid JSON: {exc.msg} at column {exc.colno}"))
            continue
        properties = data.get("properties") if isinstance(data, dict) else None
        if not isinstance(properties, dict) or not data.get("id"):
            problems.append(RowProblem(line, "an entity needs an id and a properties object"))
            continue
        names = _strings(properties, "name", "alias", "weakAlias")
        if not names:
            problems.append(RowProblem(line, "entity has no name"))
            continue
        yield Entity(
            id=str(data["id"]),
            names=tuple(dict.fromkeys(names)),
            birth_dates=_dates(_strings(properties, "birthDate"), line, problems),
            countries=_countries(_strings(properties, "nationality", "country"), line, problems),
            document_numbers=_documents(_strings(properties, "passportNumber", "idNumber")),
            reason="; ".join(_strings(properties, "topics", "notes"))[:500],
            schema=str(data.get("schema") or "Person"),
        )


def read_watchlist(path: Path, problems: list[RowProblem]) -> Iterator[Entity]:
    """Entries of a watchlist file in any supported format; problems are appended."""
    kind = detect_format(path)
    with path.open("rb") as stream:
        lines = decoded_lines(stream, problems)
        if kind == FTM:
            yield from _ftm_entities(lines, problems)
        else:
            yield from _csv_entities(lines, kind, problems)
