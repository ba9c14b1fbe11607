"""Merkle tree hashing and proofs of RFC 9162 (Certificate Transparency 2.0).

Pure Python with no Django import, so an outside auditor can copy this one
file and check SIMI's proofs with nothing else.

The tree is read through ``get_node(level, index)``: the stored hash of the
*perfect* subtree covering leaves ``[index * 2**level, (index + 1) * 2**level)``
(level 0 holds the leaf hashes). RFC 9162 splits a range of ``n`` leaves at the
largest power of two below ``n``, so every left part is perfect and aligned;
only the right edge of a tree whose size is not a power of two is not, and it
is computed here from at most ``log2(n)`` perfect nodes. Every function reads
O(log n) nodes, whatever the tree size.

The nodes a function reads depend only on sizes and indexes, never on hash
values; :func:`nodes_needed` uses that to let a database caller fetch them all
in one query before computing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import TypeVar

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
# MTH({}) = SHA-256 of the empty string (RFC 9162 §2.1.1).
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeGetter = Callable[[int, int], bytes]
T = TypeVar("T")


class MissingNode(LookupError):
    """A perfect-subtree hash the computation needs is not stored."""

    def __init__(self, level: int, index: int) -> None:
        super().__init__(f"node (level {level}, index {index}) is not stored")
        self.level = level
        self.index = index


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _subtree_hash(start: int, n: int, get_node: NodeGetter) -> bytes:
    """MTH of leaves ``[start, start + n)``, a range the RFC 9162 recursion reaches."""
    if n & (n - 1) == 0:
        level = n.bit_length() - 1
        return get_node(level, start >> level)
    k = split_point(n)
    return node_hash(
        get_node(k.bit_length() - 1, start // k), _subtree_hash(start + k, n - k, get_node)
    )


def root(size: int, get_node: NodeGetter) -> bytes:
    """MTH(D[size]) (RFC 9162 §2.1.1)."""
    if size < 0:
        raise ValueError("tree size cannot be negative")
    if size == 0:
        return EMPTY_ROOT
    return _subtree_hash(0, size, get_node)


def inclusion_proof(index: int, size: int, get_node: NodeGetter) -> list[bytes]:
    """PATH(index, D[size]) (RFC 9162 §2.1.3.1), ordered from the leaf upwards."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    path: list[bytes] = []
    start, n, m = 0, size, index
    # Walk down from the root; each step keeps the half holding the leaf and
    # records the other half's hash, so the path comes out root-first.
    while n > 1:
        k = split_point(n)
        if m < k:
            path.append(_subtree_hash(start + k, n - k, get_node))
            n = k
        else:
            path.append(_subtree_hash(start, k, get_node))
            start, n, m = start + k, n - k, m - k
    path.reverse()
    return path


def consistency_proof(old_size: int, new_size: int, get_node: NodeGetter) -> list[bytes]:
    """PROOF(old_size, D[new_size]) (RFC 9162 §2.1.4.1), ordered from the leaves upwards.

    Empty when the sizes are equal or the old tree is empty: every tree is
    consistent with the empty tree and with itself.
    """
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to {new_size}")
    if old_size in (0, new_size):
        return []
    proof: list[bytes] = []
    start, n, m, complete = 0, new_size, old_size, True
    # SUBPROOF(m, D[start:start+n], complete), unrolled like inclusion_proof.
    while m != n:
        k = split_point(n)
        if m <= k:
            proof.append(_subtree_hash(start + k, n - k, get_node))
            n = k
        else:
            proof.append(_subtree_hash(start, k, get_node))
            start, n, m, complete = start + k, n - k, m - k, False
    if not complete:
        proof.append(_subtree_hash(start, m, get_node))
    proof.reverse()
    return proof


def appended_nodes(index: int, hash_: bytes, get_node: NodeGetter) -> list[tuple[int, int, bytes]]:
    """Every perfect node completed by appending leaf ``index``: the leaf itself,
    then each parent whose right child it completes (``(level, index, hash)``)."""
    nodes = [(0, index, hash_)]
    level, position, current = 0, index, hash_
    while position % 2 == 1:
        current = node_hash(get_node(level, position - 1), current)
        level, position = level + 1, position // 2
        nodes.append((level, position, current))
    return nodes


def nodes_needed(compute: Callable[[NodeGetter], object]) -> set[tuple[int, int]]:
    """The ``(level, index)`` keys ``compute`` reads, found by a dry run on dummy hashes."""
    keys: set[tuple[int, int]] = set()

    def record(level: int, index: int) -> bytes:
        keys.add((level, index))
        return EMPTY_ROOT

    compute(record)
    return keys


def _lsb(value: int) -> int:
    return value & 1


def root_from_inclusion_proof(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes]
) -> bytes | None:
    """The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or None if it is malformed."""
    if not 0 <= index < size or any(len(p) != HASH_SIZE for p in proof):
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if _lsb(fn) or fn == sn:
            r = node_hash(p, r)
            if not _lsb(fn):
                while not _lsb(fn) and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def verify_inclusion(
    *, leaf: bytes, index: int, size: int, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """True when ``leaf`` (a leaf hash) is entry ``index`` of the tree ``root_hash`` of ``size``."""
    return root_from_inclusion_proof(leaf, index, size, proof) == root_hash


def verify_consistency(
    *, old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """True when the tree ``new_root`` extends the tree ``old_root`` (RFC 9162 §2.1.4.2)."""
    if not 0 <= old_size <= new_size or any(len(p) != HASH_SIZE for p in proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    # Step 2: when the old tree is perfect its root is the proof's implicit first node.
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while _lsb(fn):
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if _lsb(fn) or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not _lsb(fn):
                while not _lsb(fn) and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0


def run_on(compute: Callable[[NodeGetter], T], nodes: dict[tuple[int, int], bytes]) -> T:
    """Run ``compute`` on a prefetched node map, naming the first missing node."""

    def get(level: int, index: int) -> bytes:
        try:
            return nodes[(level, index)]
        except KeyError:
            raise MissingNode(level, index) from None

    return compute(get)
