"""audit_record: gapless, hashed appends that grow the Merkle tree."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections, transaction

from simi.audit import merkle
from simi.audit.canonical import LEAF_FIELDS, leaf_bytes
from simi.audit.models import AuditEntry, AuditLogHead, AuditMerkleNode
from simi.audit.services import audit_record
from simi.audit.tests.conftest import STEP
from simi.audit.tree import tree_root
from simi.audit.verify import audit_log_verify

pytestmark = pytest.mark.django_db


def _rehash(entry: AuditEntry) -> bytes:
    # from the row as stored, not the object in memory
    row = AuditEntry.objects.values(*LEAF_FIELDS).get(pk=entry.pk)
    return merkle.leaf_hash(leaf_bytes(row))


def test_it_appends_gapless_hashed_entries(audit_log, officer):
    # when five entries are recorded
    entries = audit_log(5)
    # then they hold leaf indexes 0..4 and the hash of their stored content
    assert [e.leaf_index for e in entries] == [0, 1, 2, 3, 4]
    for entry in entries:
        assert bytes(AuditEntry.objects.get(pk=entry.pk).leaf_hash) == _rehash(entry)
    assert AuditLogHead.objects.get().size == 5
    # and the entry still records who, what and where
    assert entries[0].actor == officer
    assert entries[0].actor_role == "front_desk"
    assert entries[0].office_id == officer.office_id
    assert entries[0].object_id == str(officer.public_id)


def test_it_stores_every_completed_subtree(audit_log):
    # when five entries are recorded
    entries = audit_log(5)
    # then the perfect subtrees of five leaves are stored
    keys = set(AuditMerkleNode.objects.values_list("level", "index"))
    assert keys == {(0, 0), (0, 1), (0, 2), (0, 3), (0, 4), (1, 0), (1, 1), (2, 0)}
    # and the root is the RFC 9162 root of the leaf hashes
    leaves = [bytes(e.leaf_hash) for e in entries]
    expected = merkle.node_hash(
        merkle.node_hash(
            merkle.node_hash(leaves[0], leaves[1]), merkle.node_hash(leaves[2], leaves[3])
        ),
        leaves[4],
    )
    assert tree_root(5) == expected


def test_a_rollback_leaves_no_gap(audit_log):
    # given two entries
    audit_log(2)

    @transaction.atomic
    def failing_service() -> None:
        audit_record(actor=None, action=STEP, data={"step": "failed"})
        raise RuntimeError("the change failed")

    # when a service fails after auditing
    with pytest.raises(RuntimeError):
        failing_service()
    # then the next entry takes the index the failed one had
    entry = audit_record(actor=None, action=STEP, data={"step": "after"})
    assert entry.leaf_index == 2
    assert list(AuditEntry.objects.values_list("leaf_index", flat=True)) == [0, 1, 2]
    assert not AuditEntry.objects.filter(data__step="failed").exists()
    assert AuditLogHead.objects.get().size == 3


def test_it_starts_a_log_on_a_database_without_a_head_row(db):
    # given a flushed database (the head row gone with everything else)
    from simi.audit.guard import audit_maintenance

    with audit_maintenance():
        AuditLogHead.objects.all().delete()
    # when the first entry is recorded
    entry = audit_record(actor=None, action=STEP)
    # then the log starts at zero
    assert entry.leaf_index == 0
    assert AuditLogHead.objects.get().size == 1


def test_it_stores_data_as_it_reads_back(db):
    # when data holds a tuple and a whole float
    entry = audit_record(actor=None, action=STEP, data={"ids": (3, 4), "ratio": 2.0})
    # then the stored form is plain JSON and hashes the same after the round trip
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.data == {"ids": [3, 4], "ratio": 2}
    assert bytes(stored.leaf_hash) == _rehash(entry)


def test_it_refuses_numbers_other_verifiers_would_round(db):
    with pytest.raises(ValueError, match="as a string"):
        audit_record(actor=None, action=STEP, data={"id": 2**64})
    assert not AuditEntry.objects.exists()


def test_it_refuses_an_action_that_is_a_plain_string(db):
    # when untyped code passes a free-form action
    with pytest.raises(TypeError, match=r"codes\.Action"):
        audit_record(actor=None, action="test.free_form")  # type: ignore[arg-type]
    # then nothing is written
    assert not AuditEntry.objects.exists()


def test_an_anonymous_actor_is_recorded_as_nobody(db):
    entry = audit_record(actor=None, action=STEP, purpose="seeding")
    assert entry.actor_id is None
    assert entry.actor_role == ""
    assert entry.purpose == "seeding"


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_stay_gapless():
    # given four writers appending at once, each in its own transactions
    def write(worker: int) -> None:
        try:
            for step in range(15):
                with transaction.atomic():
                    audit_record(actor=None, action=STEP, data={"w": worker, "s": step})
        finally:
            connections.close_all()

    # when
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, range(4)))
    # then the sixty entries hold indexes 0..59 exactly once, in id order
    rows = list(AuditEntry.objects.order_by("id").values_list("leaf_index", flat=True))
    assert rows == list(range(60))
    # and the whole log (hashes, tree, counter) checks out
    assert audit_log_verify().entries == 60
