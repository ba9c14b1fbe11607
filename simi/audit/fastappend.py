"""Appending on PostgreSQL with one statement fewer and no ORM on the hot path.

The portable path (``services.py``) claims the leaf index, reads the sibling
nodes, inserts the entry, then inserts the completed nodes. Here the last two
are one statement (data-modifying CTEs always run to completion in
PostgreSQL) written in plain SQL. The claim and the node read must stay
separate statements: under READ COMMITTED a statement that waited for the
head-row lock still reads with its old snapshot, so it would miss the nodes
the previous appender just committed.

The values and hashes are exactly those of the portable path.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Field

from simi.audit.models import AuditEntry, AuditMerkleNode

# Columns written for an entry, in order (the id comes back from RETURNING).
ENTRY_COLUMNS = (
    "leaf_index",
    "occurred_at",
    "actor_id",
    "actor_role",
    "office_id",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "data",
    "request_id",
    "leaf_hash",
)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _concrete(name: str) -> Field[Any, Any]:
    field = AuditEntry._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def insert_entry_and_nodes(entry: AuditEntry, nodes: list[tuple[int, int, bytes]]) -> int:
    """Insert the entry and its completed nodes in one statement; returns the entry id."""
    fields = [_concrete(name) for name in ENTRY_COLUMNS]
    entry_values = [
        field.get_db_prep_save(getattr(entry, field.attname), connection) for field in fields
    ]
    columns = ", ".join(_quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    node_rows = ", ".join(["(%s, %s, %s)"] * len(nodes))
    sql = (
        f"WITH e AS (INSERT INTO {_quote(AuditEntry._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({placeholders}) RETURNING id), "
        f'n AS (INSERT INTO {_quote(AuditMerkleNode._meta.db_table)} ("level", "index", "hash") '
        f"VALUES {node_rows}) SELECT id FROM e"
    )
    params: list[Any] = [*entry_values, *(value for node in nodes for value in node)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])
