"""The audit log in a backup: what the manifest records, how a restore is checked.

Named by ``settings.SIMI_BACKUP_CHECKS["audit_log"]`` and called by core's
backup (``simi.core.backups``), which knows nothing of the audit log itself.
The manifest keeps the log's size and Merkle root at the backup's snapshot;
a restored copy passes when ``audit_log_verify`` finds it whole (every entry,
node, signed head and the append-only triggers) and its size and root are
the recorded ones. The signed tree heads need the office signing key, which
the restoring machine has (keys are never in a backup).
"""

from __future__ import annotations

from typing import Any

from simi.audit.models import AuditLogHead
from simi.audit.tree import tree_root
from simi.audit.verify import AuditLogBroken, Progress, audit_log_verify


def audit_log_summary(*, using: str) -> dict[str, Any]:
    """The log's size and root in database ``using``, as the manifest keeps them."""
    size = AuditLogHead.objects.using(using).values_list("size", flat=True).first() or 0
    return {"entries": size, "root": tree_root(size, using).hex()}


def audit_log_restored(
    *, using: str, expected: dict[str, Any], progress: Progress | None = None
) -> list[str]:
    """What is wrong with the restored log in ``using``; empty when nothing is."""
    try:
        summary = audit_log_verify(using=using, progress=progress)
    except AuditLogBroken as broken:
        return [f"verification failed: {broken}"]
    problems = []
    if summary.entries != expected.get("entries"):
        problems.append(
            f"{summary.entries:,} entries restored, the manifest says {expected.get('entries')}"
        )
    if summary.root_hash.hex() != expected.get("root"):
        problems.append(
            f"root {summary.root_hash.hex()} differs from the manifest's {expected.get('root')}"
        )
    return problems
