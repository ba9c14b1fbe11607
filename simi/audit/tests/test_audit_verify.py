"""manage.py audit_verify: clean logs pass; every kind of tampering is named."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from simi.audit import merkle
from simi.audit.canonical import LEAF_FIELDS, leaf_bytes
from simi.audit.models import AuditEntry, AuditMerkleNode
from simi.audit.services import tree_head_publish

pytestmark = pytest.mark.django_db

CONTENT = [
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
]
# Built from the constant column names above, never from input.
SELECT_CONTENT = f"SELECT {', '.join(CONTENT)} FROM audit_auditentry WHERE leaf_index = %s"  # noqa: S608
SET_CONTENT = "UPDATE audit_auditentry SET " + ", ".join(f"{c} = %s" for c in CONTENT)  # noqa: S608


@pytest.fixture
def entries(audit_log):
    """Ten entries covered by a signed tree head."""
    logged = audit_log(10)
    tree_head_publish()
    return logged


def _verify(**options) -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out, **options)
    return out.getvalue()


def _failure() -> str:
    with pytest.raises(CommandError) as failed:
        _verify(verbosity=0)
    return str(failed.value)


def _raw_row(leaf_index: int) -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute(SELECT_CONTENT, [leaf_index])
        return dict(zip(CONTENT, cursor.fetchone(), strict=True))


def test_it_passes_a_clean_log_with_a_summary_and_progress(entries):
    # when
    output = _verify(batch_size=4)
    # then
    assert "entries: 8 of 10 checked" in output
    assert "tree level 3: 1 nodes checked" in output
    assert "Audit log verified: 10 entries, 18 tree nodes, 1 signed tree heads" in output


def test_it_passes_an_empty_log(db):
    assert "Audit log verified: 0 entries" in _verify(verbosity=0)


def test_it_names_an_entry_whose_data_changed_by_one_byte(entries, as_superuser, json_param):
    # given entry 4's stored JSON with one character changed
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM audit_auditentry WHERE leaf_index = 4")
        raw = cursor.fetchone()[0]
    text = raw if isinstance(raw, str) else json.dumps(raw)
    assert "C-004" in text
    as_superuser(
        f"UPDATE audit_auditentry SET data = {json_param} WHERE leaf_index = 4",  # noqa: S608
        [text.replace("C-004", "C-005")],
    )
    # then
    assert _failure() == (
        f"Audit log verification failed: leaf_index 4 (id {entries[4].pk}): its content "
        "does not match its leaf hash: it was changed after it was written"
    )


def test_it_names_a_deleted_entry(entries, as_superuser):
    # when entry 6 is deleted
    as_superuser("DELETE FROM audit_auditentry WHERE leaf_index = 6")
    # then the gap is named, with the next entry present
    expected = "leaf_index 6 (no row): missing: the next entry present is leaf_index 7"
    assert f"{expected} (id {entries[7].pk})" in _failure()


def test_it_names_the_first_of_two_entries_whose_contents_were_swapped(entries, as_superuser):
    # given entries 2 and 3 swapped everything but their place in the log
    two, three = _raw_row(2), _raw_row(3)
    for leaf_index, row in ((2, three), (3, two)):
        values = [row[column] for column in CONTENT]
        as_superuser(f"{SET_CONTENT} WHERE leaf_index = %s", [*values, leaf_index])
    # then the first of them no longer matches its hash
    assert f"leaf_index 2 (id {entries[2].pk}): its content does not match" in _failure()


def test_it_names_entries_moved_to_each_others_place(entries, as_superuser):
    # given entries 2 and 3 traded leaf_index and hash (whole rows moved)
    moves = [(2, 10**9), (3, 2), (10**9, 3)]
    for old, new in moves:
        as_superuser(
            "UPDATE audit_auditentry SET leaf_index = %s WHERE leaf_index = %s", [new, old]
        )
    # then the row now at leaf 2 hashes with leaf_index 3, which is the first problem
    assert f"leaf_index 2 (id {entries[3].pk}): its content does not match" in _failure()


def test_it_names_whole_rows_reordered_by_their_ids(entries, as_superuser):
    # given rows 2 and 3 exchanged every column but the id
    two, three = _raw_row(2), _raw_row(3)
    as_superuser("UPDATE audit_auditentry SET leaf_index = %s WHERE leaf_index = 2", [10**9])
    for target, row, index in ((3, two, 2), (10**9, three, 3)):
        as_superuser(
            f"{SET_CONTENT}, leaf_index = %s WHERE leaf_index = %s",
            [*(row[column] for column in CONTENT), index, target],
        )
    # then every row hashes, but the ids run backwards at leaf 3
    assert f"leaf_index 3 (id {entries[2].pk}): its id is lower" in _failure()


def test_it_names_the_first_entry_cut_from_the_tail(entries, as_superuser):
    # when the last two entries are deleted
    as_superuser("DELETE FROM audit_auditentry WHERE leaf_index >= 8")
    # then
    assert "leaf_index 8 (no row): missing: the log ends before it" in _failure()


def test_it_names_a_cut_tail_even_when_its_tree_and_counter_were_cleaned_up(entries, as_superuser):
    # given the tail cut with its nodes and the size counter, covering the tracks
    as_superuser("DELETE FROM audit_auditentry WHERE leaf_index >= 8")
    as_superuser(
        'DELETE FROM audit_auditmerklenode WHERE ("level" = 0 AND "index" >= 8) '
        'OR ("level" = 1 AND "index" >= 4)'
    )
    as_superuser("UPDATE audit_auditloghead SET size = 8")
    # then the signed tree head still remembers ten entries
    assert "leaf_index 8 (no row): missing: the tree head of size 10 signed" in _failure()


def test_it_names_a_changed_tree_node(entries, as_superuser):
    # when the node over leaves 4..5 is overwritten
    as_superuser(
        'UPDATE audit_auditmerklenode SET hash = %s WHERE "level" = 1 AND "index" = 2',
        [b"\x01" * 32],
    )
    # then
    assert _failure() == (
        f"Audit log verification failed: leaf_index 4 (id {entries[4].pk}): tree node "
        "(level 1, index 2) over leaf_index 4..5 does not match the hash of its children"
    )


def test_it_catches_a_rewrite_with_recomputed_hashes_by_the_signed_head(entries, as_superuser):
    # given entry 5 rewritten with its leaf hash and every tree node recomputed
    as_superuser("UPDATE audit_auditentry SET purpose = 'rewritten' WHERE leaf_index = 5")
    rows = AuditEntry.objects.order_by("leaf_index").values(*LEAF_FIELDS)
    leaves = [merkle.leaf_hash(leaf_bytes(row)) for row in rows]
    as_superuser("UPDATE audit_auditentry SET leaf_hash = %s WHERE leaf_index = 5", [leaves[5]])
    nodes: dict[tuple[int, int], bytes] = {}
    for index, leaf in enumerate(leaves):
        for level, position, hash_ in merkle.appended_nodes(
            index, leaf, lambda level, i: nodes[(level, i)]
        ):
            nodes[(level, position)] = hash_
    for (level, index), hash_ in nodes.items():
        as_superuser(
            'UPDATE audit_auditmerklenode SET hash = %s WHERE "level" = %s AND "index" = %s',
            [hash_, level, index],
        )
    # then only the signed head can tell, and it does
    failure = _failure()
    assert f"leaf_index 0 (id {entries[0].pk}): the log no longer has the root" in failure
    assert "an entry in leaf_index 0..9 was changed" in failure


def test_it_names_a_tree_head_altered_after_signing(entries, as_superuser):
    as_superuser("UPDATE audit_audittreehead SET root_hash = %s", [b"\x02" * 32])
    assert "has an invalid signature: the head was altered" in _failure()


def test_it_names_a_stray_node_beyond_the_log(entries, as_superuser):
    as_superuser(
        'INSERT INTO audit_auditmerklenode ("level", "index", hash) VALUES (5, 0, %s)',
        [b"\x03" * 32],
    )
    assert "tree node (level 5, index 0) over leaf_index 0..31 lies beyond" in _failure()


def test_it_reports_missing_guard_triggers(entries, as_superuser):
    # given a log that is intact but whose guard was removed
    if connection.vendor == "postgresql":
        # (deferred foreign-key checks must run before the table can be altered)
        as_superuser("SET CONSTRAINTS ALL IMMEDIATE")
        as_superuser("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
    else:
        as_superuser("SELECT 1")  # drops the SQLite triggers on the way
    # then
    assert "append-only triggers are not all installed" in _failure()
    assert AuditMerkleNode.objects.count() == 18
