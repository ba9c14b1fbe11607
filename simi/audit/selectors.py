"""Reading the audit log: its proofs, and the entries by or about one person.
Proofs carry hashes, never entry contents; whoever exposes either (an
auditor's page, an API, the person's own data export) checks the caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet

from simi.audit import merkle
from simi.audit.canonical import utc_timestamp
from simi.audit.models import AuditEntry, AuditTreeHead
from simi.audit.tree import tree_consistency_proof, tree_inclusion_proof
from simi.core.actors import Someone
from simi.core.errors import NotFound


def tree_head_as_dict(head: AuditTreeHead) -> dict[str, Any]:
    """A signed tree head in the form handed to outside verifiers (hex strings)."""
    return {
        "size": head.size,
        "root_hash": bytes(head.root_hash).hex(),
        "timestamp": utc_timestamp(head.created_at),
        "key_id": head.key_id,
        "signature": bytes(head.signature).hex(),
    }


@dataclass(frozen=True)
class InclusionProof:
    """Entry ``leaf_index`` (hash ``leaf_hash``) is in the tree signed by ``head``."""

    leaf_index: int
    leaf_hash: bytes
    head: AuditTreeHead
    path: list[bytes]

    def verifies(self) -> bool:
        return merkle.verify_inclusion(
            leaf=self.leaf_hash,
            index=self.leaf_index,
            size=self.head.size,
            proof=self.path,
            root_hash=bytes(self.head.root_hash),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "leaf_index": self.leaf_index,
            "leaf_hash": self.leaf_hash.hex(),
            "tree_head": tree_head_as_dict(self.head),
            "path": [node.hex() for node in self.path],
        }


@dataclass(frozen=True)
class ConsistencyProof:
    """The tree signed by ``new`` extends the tree signed by ``old``."""

    old: AuditTreeHead
    new: AuditTreeHead
    path: list[bytes]

    def verifies(self) -> bool:
        return merkle.verify_consistency(
            old_size=self.old.size,
            new_size=self.new.size,
            old_root=bytes(self.old.root_hash),
            new_root=bytes(self.new.root_hash),
            proof=self.path,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "old_tree_head": tree_head_as_dict(self.old),
            "new_tree_head": tree_head_as_dict(self.new),
            "path": [node.hex() for node in self.path],
        }


def entries_by(actor: OuterRef) -> QuerySet[AuditEntry]:
    """Entries the account wrote, in a subquery: ``actor`` is an ``OuterRef``
    to the account's pk."""
    return AuditEntry.objects.filter(actor=actor)


def entries_by_or_about(*, actor: Someone, objects: dict[str, set[str]]) -> QuerySet[AuditEntry]:
    """Entries the account wrote or that name one of ``objects`` (ids by
    object type), in log order."""
    about = Q(actor=actor)
    for object_type, ids in objects.items():
        if ids:
            about |= Q(object_type=object_type, object_id__in=sorted(ids))
    return AuditEntry.objects.filter(about).order_by("leaf_index")


def tree_head_latest() -> AuditTreeHead | None:
    return AuditTreeHead.objects.order_by("-size").first()


def entry_inclusion_proof(*, leaf_index: int, head: AuditTreeHead | None = None) -> InclusionProof:
    """Proof that an entry is in the latest signed tree head (or in ``head``).

    An entry newer than the head has no proof yet: NotFound until the next
    head is published.
    """
    head = head if head is not None else tree_head_latest()
    if head is None or not 0 <= leaf_index < head.size:
        raise NotFound()
    leaf_hash = (
        AuditEntry.objects.filter(leaf_index=leaf_index).values_list("leaf_hash", flat=True).first()
    )
    if leaf_hash is None:
        raise NotFound()
    return InclusionProof(
        leaf_index=leaf_index,
        leaf_hash=bytes(leaf_hash),
        head=head,
        path=tree_inclusion_proof(leaf_index, head.size),
    )


def tree_heads_consistency_proof(*, old_size: int, new_size: int) -> ConsistencyProof:
    """Proof that the head of ``new_size`` extends the head of ``old_size``."""
    found = AuditTreeHead.objects.filter(size__in=[old_size, new_size])
    heads = {head.size: head for head in found}
    if old_size > new_size or old_size not in heads or new_size not in heads:
        raise NotFound()
    return ConsistencyProof(
        old=heads[old_size],
        new=heads[new_size],
        path=tree_consistency_proof(old_size, new_size),
    )
