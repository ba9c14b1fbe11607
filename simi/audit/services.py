"""Writing the audit log. Call inside the service's transaction so the entry
and the change it records commit (or roll back) together."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from simi.audit import fastappend, merkle
from simi.audit.canonical import LEAF_FIELDS, leaf_bytes, normalized_json
from simi.audit.models import AuditEntry, AuditLogHead, AuditTreeHead
from simi.audit.signing import tree_head_sign
from simi.audit.tree import tree_append, tree_compute, tree_root
from simi.core.actors import Account, Someone
from simi.core.codes import AuditAction
from simi.core.logs import request_id_var


def _claim_leaf_index() -> int:
    """Lock the log head and take the next leaf index, in one statement.

    The UPDATE's row lock is held until the caller's transaction ends, so
    appends get their indexes one at a time and a rollback returns the index
    (no gap). It does what SELECT ... FOR UPDATE then UPDATE would, in one
    round trip instead of two (appends ran twice as fast, see bench/); on
    SQLite, where FOR UPDATE does not exist, IMMEDIATE transactions serialize
    writers.
    """
    table = connection.ops.quote_name(AuditLogHead._meta.db_table)
    claim = f"UPDATE {table} SET size = size + 1 WHERE id = %s RETURNING size"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(claim, [AuditLogHead.SINGLETON])
        row = cursor.fetchone()
        if row is None:
            # Only a new or flushed database lacks the row (migration 0003
            # creates it); ignore_conflicts lets two first writers race safely.
            AuditLogHead.objects.bulk_create(
                [AuditLogHead(pk=AuditLogHead.SINGLETON, size=0)], ignore_conflicts=True
            )
            cursor.execute(claim, [AuditLogHead.SINGLETON])
            row = cursor.fetchone()
    return int(row[0]) - 1


def audit_record(
    *,
    actor: Someone | None,
    action: AuditAction,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    purpose: str = "",
) -> AuditEntry:
    """Append one entry. ``action`` is a member of the writing domain's
    ``codes.Action`` (a plain string raises TypeError); ``data`` holds ids and
    codes, never personal data in clear.

    Joins the caller's transaction (or opens one when called alone): the
    entry, its tree nodes and the new log size commit with the change the
    entry records. ``data`` must be JSON (integers beyond 2**53 as strings, see
    simi.audit.canonical).
    """
    if not isinstance(action, AuditAction):
        # mypy refuses a plain string; this refuses one from untyped code too.
        raise TypeError(f"action must be a member of a domain's codes.Action, not {action!r}")
    # The system (None) and anonymous callers are recorded without an actor;
    # an account's role and office are kept as they are at this moment.
    signed_in = actor if actor is not None and actor.is_authenticated else None
    account = signed_in if isinstance(signed_in, Account) else None
    target_id = ""
    if target is not None:
        target_id = str(getattr(target, "public_id", None) or target.pk)
    # Checked before the transaction: bad data must not doom the caller's.
    stored_data = normalized_json(data or {})
    with transaction.atomic(savepoint=False):
        leaf_index = _claim_leaf_index()
        entry = AuditEntry(
            leaf_index=leaf_index,
            # Taken under the lock, so time never runs backwards along the log.
            occurred_at=timezone.now(),
            actor_id=signed_in.pk if signed_in is not None else None,
            actor_role=(account.role or "") if account is not None else "",
            office_id=account.office_id if account is not None else None,
            action=action,
            object_type=target._meta.label_lower if target is not None else "",
            object_id=target_id,
            purpose=purpose,
            data=stored_data,
            request_id=request_id_var.get() if request_id_var.get() != "-" else "",
        )
        row = {name: getattr(entry, name) for name in LEAF_FIELDS}
        entry.leaf_hash = merkle.leaf_hash(leaf_bytes(row))
        if connection.vendor == "postgresql":
            nodes = tree_compute(
                lambda get: merkle.appended_nodes(leaf_index, entry.leaf_hash, get)
            )
            entry.pk = fastappend.insert_entry_and_nodes(entry, nodes)
            entry._state.adding = False
            entry._state.db = connection.alias
        else:
            entry.save(force_insert=True)
            tree_append(entry.leaf_index, entry.leaf_hash)
    return entry


def tree_head_publish() -> AuditTreeHead:
    """Sign the log's current size and root; returns the existing head when the
    log has not grown since the last one (safe to run as often as wanted)."""
    sizes = AuditLogHead.objects.filter(pk=AuditLogHead.SINGLETON).values_list("size", flat=True)
    current = sizes.first() or 0
    existing = AuditTreeHead.objects.filter(size=current).first()
    if existing is not None:
        return existing
    # No lock needed: the nodes under ``current`` were committed with the size
    # and never change, so later appends cannot alter this root.
    root_hash = tree_root(current)
    created_at = timezone.now()
    key_id, signature = tree_head_sign(current, root_hash, created_at)
    try:
        with transaction.atomic():
            return AuditTreeHead.objects.create(
                size=current,
                root_hash=root_hash,
                created_at=created_at,
                key_id=key_id,
                signature=signature,
            )
    except IntegrityError:
        # A concurrent publisher signed the same size first; theirs is as good.
        return AuditTreeHead.objects.get(size=current)
