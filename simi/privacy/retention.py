"""Retention: destroy what SIMI no longer needs (UU 27/2022 Pasal 16 ayat (2), Pasal 43-44).

Each ``RetentionRule`` (data, edited in the admin) says how many days one kind
of record is kept; ``retention_purge`` deletes what is older, in batches, and
writes one audit entry per kind with the count and the ids destroyed (or a
hash of the id list when it is long). A second run finds nothing more.

The candidates of other domains come from their selectors
(``<entity>_purge_candidates`` in accounts and core; the task queue's own
manager for its results). The deletion itself is still done here, on the
queryset's model: TEMPORARY BRIDGE until those domains offer a purge service.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from simi.accounts.selectors import (
    api_tokens_purge_candidates,
    unverified_accounts_purge_candidates,
)
from simi.audit.services import audit_record
from simi.core.selectors import worker_heartbeats_purge_candidates
from simi.privacy.codes import Action
from simi.privacy.models import DataSubjectRequest, RetentionRule

RecordType = RetentionRule.RecordType

BATCH_SIZE = 500
MAX_LISTED_IDS = 50


@dataclass(frozen=True)
class Purger:
    """Finds the expired records of one kind and names them for the audit log."""

    candidates: Callable[[datetime], QuerySet[Any]]
    id_field: str


def _unverified_accounts(cutoff: datetime) -> QuerySet[Any]:
    # Anyone who ever asked something stays too: those requests point at them.
    return unverified_accounts_purge_candidates(cutoff=cutoff).exclude(
        Exists(DataSubjectRequest.objects.filter(applicant=OuterRef("pk")))
    )


def _api_tokens(cutoff: datetime) -> QuerySet[Any]:
    return api_tokens_purge_candidates(cutoff=cutoff)


def _task_results(cutoff: datetime) -> QuerySet[Any]:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)


def _worker_heartbeats(cutoff: datetime) -> QuerySet[Any]:
    return worker_heartbeats_purge_candidates(cutoff=cutoff)


def _closed_requests(cutoff: datetime) -> QuerySet[Any]:
    return DataSubjectRequest.objects.filter(
        status__in=DataSubjectRequest.CLOSED_STATUSES, completed_at__lt=cutoff
    )


PURGERS: dict[str, Purger] = {
    RecordType.UNVERIFIED_ACCOUNTS: Purger(_unverified_accounts, "public_id"),
    RecordType.API_TOKENS: Purger(_api_tokens, "public_id"),
    RecordType.TASK_RESULTS: Purger(_task_results, "id"),
    RecordType.WORKER_HEARTBEATS: Purger(_worker_heartbeats, "worker_id"),
    RecordType.CLOSED_REQUESTS: Purger(_closed_requests, "public_id"),
}


@dataclass(frozen=True)
class PurgeResult:
    record_type: str
    cutoff: datetime
    found: int
    deleted: int


def _ids_for_audit(ids: list[str]) -> dict[str, Any]:
    if len(ids) <= MAX_LISTED_IDS:
        return {"ids": ids}
    digest = hashlib.sha256("\n".join(ids).encode()).hexdigest()
    return {"ids_sha256": digest, "first_id": ids[0], "last_id": ids[-1]}


@transaction.atomic
def _purge_one(rule: RetentionRule, purger: Purger, cutoff: datetime) -> int:
    """Delete in batches of primary keys; the deletions and their audit entry
    commit together."""
    destroyed: list[str] = []
    while True:
        batch = list(
            purger.candidates(cutoff).order_by("pk").values_list("pk", purger.id_field)[:BATCH_SIZE]
        )
        if not batch:
            break
        pks = [pk for pk, _name in batch]
        purger.candidates(cutoff).model.objects.filter(pk__in=pks).delete()
        destroyed.extend(str(name) for _pk, name in batch)
    if destroyed:
        audit_record(
            actor=None,
            action=Action.RETENTION_PURGED,
            target=rule,
            data={
                "record_type": rule.record_type,
                "retain_days": rule.retain_days,
                "cutoff": cutoff.isoformat(),
                "count": len(destroyed),
                **_ids_for_audit(destroyed),
            },
        )
    return len(destroyed)


def retention_purge(*, now: datetime | None = None, dry_run: bool = False) -> list[PurgeResult]:
    """Apply every active retention rule; ``dry_run`` only counts."""
    now = now or timezone.now()
    results = []
    for rule in RetentionRule.objects.filter(is_active=True).order_by("record_type"):
        purger = PURGERS.get(rule.record_type)
        if purger is None:
            continue
        cutoff = now - timedelta(days=rule.retain_days)
        found = purger.candidates(cutoff).count()
        deleted = 0 if dry_run or not found else _purge_one(rule, purger, cutoff)
        results.append(PurgeResult(rule.record_type, cutoff, found, deleted))
    return results
