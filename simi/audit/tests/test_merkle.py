"""simi.audit.merkle against RFC 6962 known answers and a naive recomputation."""

import hashlib
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simi.audit import merkle

# The certificate-transparency test corpus (RFC 6962 reference implementation,
# also transparency-dev/merkle testonly/constants.go).
CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    bytes(range(0x60, 0x70)),
]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = {
    (0, 1): [],
    (0, 2): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"],
    (1, 2): ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"],
    (2, 3): ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    (1, 5): [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
    (0, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (5, 8): [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
}
CT_CONSISTENCY = {
    (1, 1): [],
    (1, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (6, 8): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (2, 5): [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
}


def _store(leaf_hashes: list[bytes]) -> merkle.NodeGetter:
    """Perfect-subtree hashes, built bottom-up the way the node table is."""
    levels = [list(leaf_hashes)]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append(
            [merkle.node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
        )
    return lambda level, index: levels[level][index]


def _hexes(hashes: list[bytes]) -> list[str]:
    return [h.hex() for h in hashes]


CT_STORE = _store([merkle.leaf_hash(leaf) for leaf in CT_LEAVES])


# --- the naive reference: RFC 9162's recursive definitions over the leaves ---

LEAVES = [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(300)]
STORE = _store(LEAVES)


@cache
def naive_mth(start: int, end: int) -> bytes:
    n = end - start
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return LEAVES[start]
    k = 1
    while k * 2 < n:
        k *= 2
    return merkle.node_hash(naive_mth(start, start + k), naive_mth(start + k, end))


def naive_path(m: int, start: int, end: int) -> list[bytes]:
    n = end - start
    if n == 1:
        return []
    k = merkle.split_point(n)
    if m < k:
        return [*naive_path(m, start, start + k), naive_mth(start + k, end)]
    return [*naive_path(m - k, start + k, end), naive_mth(start, start + k)]


def naive_subproof(m: int, start: int, end: int, complete: bool) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if complete else [naive_mth(start, end)]
    k = merkle.split_point(n)
    if m <= k:
        return [*naive_subproof(m, start, start + k, complete), naive_mth(start + k, end)]
    return [*naive_subproof(m - k, start + k, end, False), naive_mth(start, start + k)]


# --- known answers ---


def test_it_hashes_like_rfc_6962():
    assert merkle.EMPTY_ROOT.hex() == CT_ROOTS[0]
    assert merkle.leaf_hash(b"").hex() == CT_ROOTS[1]
    assert (
        merkle.leaf_hash(b"L123456").hex()
        == "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    )
    assert (
        merkle.node_hash(b"N123", b"N456").hex()
        == "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    )


@pytest.mark.parametrize("size", range(9))
def test_it_computes_the_known_roots(size):
    assert merkle.root(size, CT_STORE).hex() == CT_ROOTS[size]


@pytest.mark.parametrize(("index", "size"), list(CT_INCLUSION))
def test_it_produces_and_accepts_the_known_inclusion_proofs(index, size):
    # when
    proof = merkle.inclusion_proof(index, size, CT_STORE)
    # then
    assert _hexes(proof) == CT_INCLUSION[(index, size)]
    assert merkle.verify_inclusion(
        leaf=merkle.leaf_hash(CT_LEAVES[index]),
        index=index,
        size=size,
        proof=proof,
        root_hash=bytes.fromhex(CT_ROOTS[size]),
    )


@pytest.mark.parametrize(("old", "new"), list(CT_CONSISTENCY))
def test_it_produces_and_accepts_the_known_consistency_proofs(old, new):
    # when
    proof = merkle.consistency_proof(old, new, CT_STORE)
    # then
    assert _hexes(proof) == CT_CONSISTENCY[(old, new)]
    assert merkle.verify_consistency(
        old_size=old,
        new_size=new,
        old_root=bytes.fromhex(CT_ROOTS[old]),
        new_root=bytes.fromhex(CT_ROOTS[new]),
        proof=proof,
    )


# --- against the naive recomputation, every size 1..300 ---


def test_it_computes_every_root_like_the_naive_definition():
    for size in range(301):
        assert merkle.root(size, STORE) == naive_mth(0, size), size


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_it_matches_the_naive_proofs_at_every_size(data):
    for size in range(1, 301):
        # given a random leaf and a random earlier size
        index = data.draw(st.integers(0, size - 1), label=f"index in {size}")
        old = data.draw(st.integers(1, size), label=f"old size for {size}")
        root = naive_mth(0, size)
        # when
        path = merkle.inclusion_proof(index, size, STORE)
        consistency = merkle.consistency_proof(old, size, STORE)
        # then
        assert path == naive_path(index, 0, size)
        assert consistency == naive_subproof(old, 0, size, True)
        assert merkle.verify_inclusion(
            leaf=LEAVES[index], index=index, size=size, proof=path, root_hash=root
        )
        assert merkle.verify_consistency(
            old_size=old,
            new_size=size,
            old_root=naive_mth(0, old),
            new_root=root,
            proof=consistency,
        )


@settings(max_examples=200, deadline=None)
@given(size=st.integers(2, 300), data=st.data())
def test_it_rejects_a_wrong_leaf_index_root_or_path(size, data):
    # given a valid proof
    index = data.draw(st.integers(0, size - 1))
    path = merkle.inclusion_proof(index, size, STORE)
    root = naive_mth(0, size)

    def verifies(**change):
        args = {
            "leaf": LEAVES[index],
            "index": index,
            "size": size,
            "proof": path,
            "root_hash": root,
        }
        return merkle.verify_inclusion(**{**args, **change})

    assert verifies()
    # then every alteration fails
    other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index))
    assert not verifies(leaf=LEAVES[other])
    assert not verifies(index=other)
    assert not verifies(root_hash=naive_mth(0, size - 1))
    assert not verifies(size=size * 2)
    if path:
        position = data.draw(st.integers(0, len(path) - 1))
        bent = [*path]
        bent[position] = bytes([bent[position][0] ^ 1]) + bent[position][1:]
        assert not verifies(proof=bent)
        assert not verifies(proof=path[:-1])
    assert not verifies(proof=[*path, root])


@settings(max_examples=200, deadline=None)
@given(size=st.integers(2, 300), data=st.data())
def test_it_rejects_a_consistency_proof_for_other_roots(size, data):
    # given a valid proof from an earlier, smaller tree
    old = data.draw(st.integers(1, size - 1))
    proof = merkle.consistency_proof(old, size, STORE)
    old_root, new_root = naive_mth(0, old), naive_mth(0, size)

    def verifies(**change):
        args = {
            "old_size": old,
            "new_size": size,
            "old_root": old_root,
            "new_root": new_root,
            "proof": proof,
        }
        return merkle.verify_consistency(**{**args, **change})

    assert verifies()
    # then a rewritten history (another old root or new root) fails
    assert not verifies(old_root=naive_mth(0, old - 1) if old > 1 else LEAVES[1])
    assert not verifies(new_root=naive_mth(1, size))
    assert not verifies(proof=proof[:-1])
    assert not verifies(old_size=old + 1)


def test_it_refuses_proofs_outside_the_tree():
    with pytest.raises(ValueError, match="not in a tree"):
        merkle.inclusion_proof(5, 5, STORE)
    with pytest.raises(ValueError, match="no consistency proof"):
        merkle.consistency_proof(6, 5, STORE)
    assert not merkle.verify_inclusion(
        leaf=LEAVES[0], index=0, size=0, proof=[], root_hash=merkle.EMPTY_ROOT
    )


def test_it_treats_equal_and_empty_trees_as_consistent():
    root = naive_mth(0, 7)
    assert merkle.consistency_proof(7, 7, STORE) == []
    assert merkle.verify_consistency(old_size=7, new_size=7, old_root=root, new_root=root, proof=[])
    assert not merkle.verify_consistency(
        old_size=7, new_size=7, old_root=root, new_root=LEAVES[0], proof=[]
    )
    assert merkle.verify_consistency(
        old_size=0, new_size=7, old_root=merkle.EMPTY_ROOT, new_root=root, proof=[]
    )


def test_it_completes_the_right_nodes_when_a_leaf_is_appended():
    # given the nodes of 11 leaves; when leaf 11 (the twelfth) is appended
    nodes = merkle.appended_nodes(11, LEAVES[11], STORE)
    # then it completes (0, 11), (1, 5) and (2, 2), with the hashes a full build has
    assert [(level, index) for level, index, _ in nodes] == [(0, 11), (1, 5), (2, 2)]
    assert nodes[-1][2] == STORE(2, 2)


def test_it_names_the_nodes_a_computation_reads():
    keys = merkle.nodes_needed(lambda get: merkle.root(13, get))
    assert keys == {(3, 0), (2, 2), (0, 12)}
