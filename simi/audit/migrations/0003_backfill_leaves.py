"""Give entries written before the Merkle tree existed their leaf index, leaf
hash and tree nodes, in id order (the order they were appended in)."""

from django.db import migrations

from simi.audit.canonical import leaf_bytes
from simi.audit.merkle import appended_nodes, leaf_hash

BATCH = 1000


def backfill(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditLogHead = apps.get_model("audit", "AuditLogHead")
    AuditMerkleNode = apps.get_model("audit", "AuditMerkleNode")
    # The right edge of the tree: the newest complete node of each level is
    # the only one a later append can need as a left sibling.
    edge: dict[int, bytes] = {}
    size = 0
    last_id = 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:BATCH])
        if not batch:
            break
        nodes = []
        for entry in batch:
            entry.leaf_index = size
            row = {field.attname: getattr(entry, field.attname) for field in entry._meta.concrete_fields}
            entry.leaf_hash = leaf_hash(leaf_bytes(row))
            for level, index, hash_ in appended_nodes(size, entry.leaf_hash, lambda lv, _i: edge[lv]):
                edge[level] = hash_
                nodes.append(AuditMerkleNode(level=level, index=index, hash=hash_))
            size += 1
        AuditEntry.objects.bulk_update(batch, ["leaf_index", "leaf_hash"])
        AuditMerkleNode.objects.bulk_create(nodes)
        last_id = batch[-1].id
    AuditLogHead.objects.update_or_create(id=1, defaults={"size": size})


def forget(apps, schema_editor):
    apps.get_model("audit", "AuditMerkleNode").objects.all().delete()
    apps.get_model("audit", "AuditLogHead").objects.all().delete()
    apps.get_model("audit", "AuditEntry").objects.update(leaf_index=None, leaf_hash=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_merkle_tree_schema"),
    ]

    operations = [
        migrations.RunPython(backfill, forget),
    ]
