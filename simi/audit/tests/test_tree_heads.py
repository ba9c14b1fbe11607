"""Signed tree heads and the proofs an outside party checks against them."""

import json
from dataclasses import replace
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from simi.audit import merkle
from simi.audit.models import AuditTreeHead
from simi.audit.selectors import (
    entry_inclusion_proof,
    tree_head_as_dict,
    tree_head_latest,
    tree_heads_consistency_proof,
)
from simi.audit.services import tree_head_publish
from simi.audit.signing import (
    load_public_key,
    public_key_pem,
    tree_head_message,
    tree_head_signature_valid,
)
from simi.audit.tasks import publish_tree_head
from simi.audit.tree import tree_root
from simi.core.errors import NotFound
from simi.core.keys import signing_key_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_key():
    key_id, key = load_public_key(public_key_pem().encode())
    assert key_id == signing_key_id()
    return key


def test_it_signs_the_documented_message():
    message = tree_head_message(
        7, bytes(range(32)), datetime(2026, 11, 22, 10, 0, 0, 42, tzinfo=UTC)
    )
    assert message == (
        b"simi-audit-tree-head-v1\n7\n"
        b"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
        b"2026-11-22T10:00:00.000042Z"
    )


def test_it_publishes_a_head_once_per_size(audit_log, public_key):
    # given a log of three entries
    audit_log(3)
    # when a head is published twice
    first = tree_head_publish()
    again = tree_head_publish()
    # then the second call returns the first head
    assert again.pk == first.pk
    assert first.size == 3
    assert bytes(first.root_hash) == tree_root(3)
    assert first.key_id == signing_key_id()
    assert tree_head_signature_valid(first, public_key)
    # and a grown log gets a new head
    audit_log(1)
    assert tree_head_publish().size == 4
    assert AuditTreeHead.objects.count() == 2


def test_a_tampered_head_fails_its_signature(audit_log, public_key):
    # given a signed head
    audit_log(2)
    head = tree_head_publish()
    assert tree_head_signature_valid(head, public_key)
    # then any change to what was signed breaks the signature
    head.root_hash = merkle.EMPTY_ROOT
    assert not tree_head_signature_valid(head, public_key)
    head.refresh_from_db()
    head.size = 1
    assert not tree_head_signature_valid(head, public_key)
    head.refresh_from_db()
    head.signature = bytes([head.signature[0] ^ 1]) + bytes(head.signature[1:])
    assert not tree_head_signature_valid(head, public_key)


def test_the_task_and_the_command_publish_the_same_head(audit_log):
    audit_log(2)
    # when the task runs, then the command
    size = publish_tree_head.call()
    out = StringIO()
    call_command("audit_publish_head", "--public-key", stdout=out)
    # then both name the one head of size 2, and the command prints the public key
    head = AuditTreeHead.objects.get()
    assert size == 2
    printed, _, pem = out.getvalue().partition("}")
    assert json.loads(printed + "}") == tree_head_as_dict(head)
    assert "BEGIN PUBLIC KEY" in pem


def test_an_inclusion_proof_verifies_against_the_latest_head(audit_log):
    # given seven entries under a head
    entries = audit_log(7)
    tree_head_publish()
    # when an outside party asks for entry 5's proof
    proof = entry_inclusion_proof(leaf_index=5)
    # then it verifies, from the exported form too
    assert proof.verifies()
    exported = proof.as_dict()
    assert merkle.verify_inclusion(
        leaf=bytes.fromhex(exported["leaf_hash"]),
        index=exported["leaf_index"],
        size=exported["tree_head"]["size"],
        proof=[bytes.fromhex(node) for node in exported["path"]],
        root_hash=bytes.fromhex(exported["tree_head"]["root_hash"]),
    )
    # and it fails for another leaf or another root
    assert not replace(proof, leaf_hash=bytes(entries[4].leaf_hash)).verifies()
    other = AuditTreeHead(size=7, root_hash=merkle.EMPTY_ROOT)
    assert not replace(proof, head=other).verifies()


def test_an_entry_newer_than_the_head_has_no_proof_yet(audit_log):
    audit_log(2)
    tree_head_publish()
    audit_log(1)
    with pytest.raises(NotFound):
        entry_inclusion_proof(leaf_index=2)
    assert tree_head_latest().size == 2


def test_a_consistency_proof_links_two_heads(audit_log):
    # given heads at sizes 3 and 11
    audit_log(3)
    old = tree_head_publish()
    audit_log(8)
    new = tree_head_publish()
    # when
    proof = tree_heads_consistency_proof(old_size=3, new_size=11)
    # then it verifies, and fails when either root is swapped for another
    assert proof.verifies()
    assert proof.as_dict()["old_tree_head"]["size"] == 3
    assert not replace(proof, old=AuditTreeHead(size=3, root_hash=tree_root(2))).verifies()
    assert not replace(proof, new=AuditTreeHead(size=11, root_hash=tree_root(10))).verifies()
    assert bytes(old.root_hash) != bytes(new.root_hash)


def test_a_consistency_proof_needs_two_published_heads(audit_log):
    audit_log(2)
    tree_head_publish()
    with pytest.raises(NotFound):
        tree_heads_consistency_proof(old_size=1, new_size=2)


def test_the_proof_command_prints_what_an_outsider_checks(audit_log):
    # given two signed heads
    audit_log(3)
    tree_head_publish()
    audit_log(2)
    tree_head_publish()
    # when the operator exports an inclusion and a consistency proof
    inclusion, consistency = StringIO(), StringIO()
    call_command("audit_proof", "--leaf-index", "4", stdout=inclusion)
    call_command("audit_proof", "--from-size", "3", "--to-size", "5", stdout=consistency)
    # then they are the selectors' proofs, as JSON
    assert json.loads(inclusion.getvalue()) == entry_inclusion_proof(leaf_index=4).as_dict()
    linked = json.loads(consistency.getvalue())
    assert [linked["old_tree_head"]["size"], linked["new_tree_head"]["size"]] == [3, 5]


def test_the_proof_command_explains_a_missing_proof(audit_log):
    audit_log(1)
    with pytest.raises(CommandError, match="not yet covered by a signed tree head"):
        call_command("audit_proof", "--leaf-index", "0")
