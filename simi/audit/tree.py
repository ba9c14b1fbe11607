"""The Merkle tree as stored in ``AuditMerkleNode``: each computation of
simi.audit.merkle reads its O(log n) nodes in one query.

Plain SQL on purpose: these run inside every audit_record call, where the
ORM's query building cost more than the queries themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, connections

from simi.audit import merkle
from simi.audit.models import AuditMerkleNode

T = TypeVar("T")


def _table(using: str) -> str:
    return connections[using].ops.quote_name(AuditMerkleNode._meta.db_table)


def nodes_fetch(
    keys: Iterable[tuple[int, int]], using: str = DEFAULT_DB_ALIAS
) -> dict[tuple[int, int], bytes]:
    wanted = sorted(keys)
    if not wanted:
        return {}
    match = " OR ".join(['("level" = %s AND "index" = %s)'] * len(wanted))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f'SELECT "level", "index", "hash" FROM {_table(using)} WHERE {match}',  # noqa: S608 - no input in the text
            [value for key in wanted for value in key],
        )
        return {(level, index): bytes(hash_) for level, index, hash_ in cursor.fetchall()}


def tree_compute(compute: Callable[[merkle.NodeGetter], T], using: str = DEFAULT_DB_ALIAS) -> T:
    """Run a merkle computation on the stored nodes (raises merkle.MissingNode).

    ``using`` names the database (another alias: a restored copy being checked)."""
    return merkle.run_on(compute, nodes_fetch(merkle.nodes_needed(compute), using))


def tree_root(size: int, using: str = DEFAULT_DB_ALIAS) -> bytes:
    return tree_compute(lambda get: merkle.root(size, get), using)


def tree_inclusion_proof(index: int, size: int) -> list[bytes]:
    return tree_compute(lambda get: merkle.inclusion_proof(index, size, get))


def tree_consistency_proof(
    old_size: int, new_size: int, using: str = DEFAULT_DB_ALIAS
) -> list[bytes]:
    return tree_compute(lambda get: merkle.consistency_proof(old_size, new_size, get), using)


def tree_append(index: int, leaf_hash: bytes) -> None:
    """Store the leaf and every node it completes; call under the log head lock."""
    nodes = tree_compute(lambda get: merkle.appended_nodes(index, leaf_hash, get))
    rows = ", ".join(["(%s, %s, %s)"] * len(nodes))
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {_table(DEFAULT_DB_ALIAS)} ("level", "index", "hash") VALUES {rows}',  # noqa: S608 - no input in the text
            [value for node in nodes for value in node],
        )
