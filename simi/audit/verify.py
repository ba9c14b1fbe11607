"""Checking the whole audit log from its rows: ``manage.py audit_verify``.

Everything is recomputed from the entries' contents, in leaf order, in
batches (memory stays flat for millions of rows):

1. entries: leaf_index runs 0..N-1 without gaps, ids grow with it, and each
   row's content hashes to its stored leaf hash and level-0 node;
2. the tree: every stored node equals the hash of its two (already checked)
   children, level by level, and no node exists beyond the log's end;
3. the log head counter equals N;
4. signed tree heads: each is signed by a trusted key, its root is the root
   of the first ``size`` entries, and each head is consistent with the one
   before it (checked with the same consistency proof an outsider gets);
5. the append-only triggers are installed.

The first problem stops the check and names the entry it concerns. ``using``
names the database to check: the live one, or a restored copy
(``manage.py restore --verify`` checks the copy before anyone trusts it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import DEFAULT_DB_ALIAS

from simi.audit import merkle
from simi.audit.canonical import LEAF_FIELDS, leaf_bytes, utc_timestamp
from simi.audit.guard import guard_triggers_missing
from simi.audit.models import AuditEntry, AuditLogHead, AuditMerkleNode, AuditTreeHead
from simi.audit.signing import tree_head_signature_valid, trusted_public_keys
from simi.audit.tree import tree_consistency_proof, tree_root

Progress = Callable[[str], None]


class AuditLogBroken(Exception):
    """The first place where the stored log disagrees with itself."""

    def __init__(self, reason: str, *, leaf_index: int | None = None, entry_id: int | None = None):
        self.reason = reason
        self.leaf_index = leaf_index
        self.entry_id = entry_id
        if leaf_index is None:
            where = "the log"
        elif entry_id is None:
            where = f"leaf_index {leaf_index} (no row)"
        else:
            where = f"leaf_index {leaf_index} (id {entry_id})"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class VerifySummary:
    entries: int
    nodes: int
    heads: int
    root_hash: bytes


def _entry_rows(batch_size: int, using: str) -> Iterator[dict[str, Any]]:
    fields = ("id", "leaf_hash", *LEAF_FIELDS)
    last: int | None = None
    while True:
        rows = AuditEntry.objects.using(using).order_by("leaf_index").values(*fields)
        if last is not None:
            rows = rows.filter(leaf_index__gt=last)
        batch = list(rows[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1]["leaf_index"]


def _level_nodes(level: int, batch_size: int, using: str) -> Iterator[tuple[int, bytes]]:
    last = -1
    while True:
        batch = list(
            AuditMerkleNode.objects.using(using)
            .filter(level=level, index__gt=last)
            .order_by("index")
            .values_list("index", "hash")[:batch_size]
        )
        if not batch:
            return
        for index, hash_ in batch:
            yield index, bytes(hash_)
        last = batch[-1][0]


def _entry_id(leaf_index: int, using: str) -> int | None:
    return (
        AuditEntry.objects.using(using)
        .filter(leaf_index=leaf_index)
        .values_list("id", flat=True)
        .first()
    )


def _broken_node(level: int, index: int, reason: str, using: str) -> AuditLogBroken:
    first, last = index << level, ((index + 1) << level) - 1
    return AuditLogBroken(
        f"tree node (level {level}, index {index}) over leaf_index {first}..{last} {reason}",
        leaf_index=first,
        entry_id=_entry_id(first, using),
    )


def _check_entries(batch_size: int, total: int, progress: Progress, using: str) -> int:
    """Entries in leaf order against their hashes and level-0 nodes; returns N."""
    leaves = _level_nodes(0, batch_size, using)
    expected, previous_id = 0, 0
    for row in _entry_rows(batch_size, using):
        index, entry_id = row["leaf_index"], row["id"]
        if index != expected:
            raise AuditLogBroken(
                f"missing: the next entry present is leaf_index {index} (id {entry_id})",
                leaf_index=expected,
            )
        if entry_id <= previous_id:
            raise AuditLogBroken(
                f"its id is lower than that of the entry before it (id {previous_id}): "
                "rows were moved",
                leaf_index=index,
                entry_id=entry_id,
            )
        recomputed = merkle.leaf_hash(leaf_bytes(row))
        if recomputed != bytes(row["leaf_hash"]):
            raise AuditLogBroken(
                "its content does not match its leaf hash: it was changed after it was written",
                leaf_index=index,
                entry_id=entry_id,
            )
        node = next(leaves, None)
        if node is None or node[0] != index or node[1] != recomputed:
            raise AuditLogBroken(
                "its leaf node (level 0) is missing or differs from its hash",
                leaf_index=index,
                entry_id=entry_id,
            )
        expected, previous_id = expected + 1, entry_id
        if expected % batch_size == 0:
            progress(f"entries: {expected:,} of {total:,} checked")
    extra = next(leaves, None)
    if extra is not None:
        raise AuditLogBroken(
            f"missing: the log ends before it, but the tree holds a leaf at index {extra[0]} "
            "(entries were removed from the end)",
            leaf_index=expected,
        )
    progress(f"entries: {expected:,} checked")
    return expected


def _check_tree(size: int, batch_size: int, progress: Progress, using: str) -> int:
    """Every stored node above level 0 against its children; returns the node count."""
    count, level = size, 1
    while size >> level:
        children = _level_nodes(level - 1, batch_size, using)
        parents = _level_nodes(level, batch_size, using)
        for index in range(size >> level):
            # The level below was checked complete, so both children exist.
            left, right = next(children)[1], next(children)[1]
            stored = next(parents, None)
            if stored is None or stored[0] != index:
                raise _broken_node(level, index, "is missing", using)
            if stored[1] != merkle.node_hash(left, right):
                raise _broken_node(level, index, "does not match the hash of its children", using)
        extra = next(parents, None)
        if extra is not None:
            raise _broken_node(level, extra[0], "lies beyond the end of the log", using)
        count += size >> level
        progress(f"tree level {level}: {size >> level:,} nodes checked")
        level += 1
    stray = (
        AuditMerkleNode.objects.using(using)
        .filter(level__gte=level)
        .order_by("level", "index")
        .first()
    )
    if stray is not None:
        raise _broken_node(stray.level, stray.index, "lies beyond the end of the log", using)
    return count


def _check_log_head(size: int, using: str) -> None:
    counter = AuditLogHead.objects.using(using).values_list("size", flat=True).first()
    if counter is None and size == 0:
        return
    if counter is None or counter > size:
        raise AuditLogBroken(
            f"missing: the log head counter says {counter} entries were appended",
            leaf_index=size,
        )
    if counter < size:
        raise AuditLogBroken(
            f"the log head counter ({counter}) is behind the entries (the next append would fail)",
            leaf_index=counter,
            entry_id=_entry_id(counter, using),
        )


def _check_heads(
    size: int, keys: Mapping[str, Ed25519PublicKey], progress: Progress, using: str
) -> int:
    previous: AuditTreeHead | None = None
    checked = 0
    heads = AuditTreeHead.objects.using(using).order_by("size")
    for head in heads.iterator(chunk_size=500):
        label = f"tree head of size {head.size} signed {utc_timestamp(head.created_at)}"
        first = previous.size if previous is not None else 0
        if head.size > size:
            raise AuditLogBroken(
                f"missing: the {label} covers {head.size} entries, the log holds {size}",
                leaf_index=size,
            )
        key = keys.get(head.key_id)
        if key is None:
            raise AuditLogBroken(f"the {label} names key {head.key_id}, which is not trusted")
        if not tree_head_signature_valid(head, key):
            raise AuditLogBroken(f"the {label} has an invalid signature: the head was altered")
        if tree_root(head.size, using) != bytes(head.root_hash):
            raise AuditLogBroken(
                f"the log no longer has the root of the {label}: an entry in leaf_index "
                f"{first}..{head.size - 1} was changed and its hashes rewritten",
                leaf_index=first,
                entry_id=_entry_id(first, using),
            )
        if previous is not None and not merkle.verify_consistency(
            old_size=previous.size,
            new_size=head.size,
            old_root=bytes(previous.root_hash),
            new_root=bytes(head.root_hash),
            proof=tree_consistency_proof(previous.size, head.size, using),
        ):
            raise AuditLogBroken(f"the {label} is not consistent with the head before it")
        previous, checked = head, checked + 1
    progress(f"tree heads: {checked:,} checked")
    return checked


def audit_log_verify(
    *,
    batch_size: int = 5000,
    progress: Progress | None = None,
    extra_keys: Mapping[str, Ed25519PublicKey] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> VerifySummary:
    """Check the whole log in database ``using``; raises AuditLogBroken at the
    first problem."""
    say: Progress = progress or (lambda _message: None)
    total = AuditEntry.objects.using(using).count()
    size = _check_entries(batch_size, total, say, using)
    nodes = _check_tree(size, batch_size, say, using)
    _check_log_head(size, using)
    keys = {**trusted_public_keys(), **(extra_keys or {})}
    heads = _check_heads(size, keys, say, using)
    missing = guard_triggers_missing(using)
    if missing:
        raise AuditLogBroken(
            "the append-only triggers are not all installed (missing: " + ", ".join(missing) + ")"
        )
    return VerifySummary(entries=size, nodes=nodes, heads=heads, root_hash=tree_root(size, using))
