"""The audit log: who did what to which record, when, and in which request.

The log is a Merkle tree (RFC 9162): every entry is a leaf, the perfect
subtrees are stored as they complete, and signed tree heads commit to a size
and root. docs/audit-log.md explains the design; the database refuses UPDATE
and DELETE of these rows (migration ``0005_append_only_guard``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Kept even if the actor row changes: the role and office at the time.
    actor_role = models.CharField(_("actor role"), max_length=20, blank=True)
    office_id = models.BigIntegerField(_("office"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    # Position in the log: 0, 1, 2, ... without gaps (assigned under the
    # AuditLogHead lock). Part of the hashed content, so moving a row breaks it.
    leaf_index = models.BigIntegerField(unique=True)
    # SHA-256(0x00 || canonical bytes of the entry), see simi.audit.canonical.
    leaf_hash = models.BinaryField(max_length=32)

    class Meta:
        ordering = ["leaf_index"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(leaf_index__gte=0), name="audit_entry_leaf_index_natural"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.leaf_index} {self.action}"


class AuditLogHead(models.Model):
    """The single row whose lock orders appends: ``size`` is the next leaf index.

    The only audit row that changes; its lock is taken by every append inside
    the caller's transaction, so a rollback gives the index back (no gap).
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    size = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_log_head_singleton"),
            models.CheckConstraint(condition=models.Q(size__gte=0), name="audit_log_head_size"),
        ]

    def __str__(self) -> str:
        return f"audit log of {self.size} entries"


class AuditMerkleNode(models.Model):
    """Hash of the perfect subtree of leaves ``[index * 2**level, (index + 1) * 2**level)``.

    Written once, when its last leaf is appended; level 0 repeats the leaf
    hashes so that every proof reads from this one table.
    """

    pk = models.CompositePrimaryKey("level", "index")
    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        ordering = ["level", "index"]
        constraints = [
            models.CheckConstraint(condition=models.Q(index__gte=0), name="audit_node_index"),
        ]

    def __str__(self) -> str:
        return f"node ({self.level}, {self.index})"


class AuditTreeHead(models.Model):
    """A signed commitment to the first ``size`` entries (the log's root then).

    Publishing heads outside SIMI (to an auditor, a witness) is what makes a
    rewrite of the whole database detectable; see docs/audit-log.md.
    """

    size = models.BigIntegerField(unique=True)
    root_hash = models.BinaryField(max_length=32)
    created_at = models.DateTimeField()
    key_id = models.CharField(max_length=32)
    signature = models.BinaryField(max_length=64)

    class Meta:
        ordering = ["size"]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gte=0), name="audit_tree_head_size"),
        ]

    def __str__(self) -> str:
        return f"tree head of size {self.size}"
