"""A checksum of every table's rows, the same after a restore on the same vendor.

Each table is read in primary-key order (every column when it has none) and
each row is written as one JSON line of its column values as the database
driver returns them, each tagged with its kind (bytes as hex, dates in ISO
8601, floats by ``repr``), so that two rows that differ in any value or type
give different lines. The SHA-256 of the lines, with the row count, is the
table's fingerprint. Raw column values, never Django fields: encrypted columns
stay ciphertext and no key is needed to compute it.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections

Progress = Callable[[str], None]
_BATCH = 2000


@dataclass(frozen=True)
class TableFingerprint:
    rows: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "sha256": self.sha256}


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return {"f": repr(value)}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"b": bytes(value).hex()}
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return {"t": value.isoformat()}
    if isinstance(value, decimal.Decimal | uuid.UUID | datetime.timedelta):
        return {type(value).__name__: str(value)}
    if isinstance(value, dict | list):
        return {"j": json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)}
    return {type(value).__name__: str(value)}


def row_line(row: tuple[Any, ...]) -> bytes:
    values = [_canonical(value) for value in row]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def table_names(using: str) -> list[str]:
    """Every table of the database (views and SQLite's own tables left out)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def table_fingerprint(using: str, table: str) -> TableFingerprint:
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        columns = [
            column.name for column in connection.introspection.get_table_description(cursor, table)
        ]
        order = connection.introspection.get_primary_key_columns(cursor, table) or columns
    select = ", ".join(quote(column) for column in columns)
    order_by = ", ".join(quote(column) for column in order)
    digest, rows = hashlib.sha256(), 0
    # A server-side cursor on PostgreSQL: memory stays flat for any table size.
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM {quote(table)} ORDER BY {order_by}")  # noqa: S608 - names from the catalogue, quoted
        while batch := cursor.fetchmany(_BATCH):
            for row in batch:
                digest.update(row_line(tuple(row)))
            rows += len(batch)
    return TableFingerprint(rows=rows, sha256=digest.hexdigest())


def database_fingerprints(
    using: str, progress: Progress | None = None
) -> dict[str, TableFingerprint]:
    """Every table's fingerprint, by table name."""
    say: Progress = progress or (lambda _message: None)
    names = table_names(using)
    found: dict[str, TableFingerprint] = {}
    total_rows = 0
    for number, table in enumerate(names, start=1):
        found[table] = table_fingerprint(using, table)
        total_rows += found[table].rows
        if number % 20 == 0 or number == len(names):
            say(f"tables: {number} of {len(names)} checksummed ({total_rows:,} rows)")
    return found
