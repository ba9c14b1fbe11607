"""Retention: the purge destroys exactly what is older than its rule, once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from simi.accounts.models import ApiToken, User
from simi.accounts.services import api_token_create, api_token_revoke
from simi.accounts.tests.factories import UserFactory
from simi.audit.models import AuditEntry
from simi.core.models import WorkerHeartbeat
from simi.privacy.models import RetentionRule
from simi.privacy.retention import MAX_LISTED_IDS, retention_purge
from simi.privacy.services import dsr_reject

pytestmark = pytest.mark.django_db


def _days_ago(days):
    return timezone.now() - timedelta(days=days)


def test_the_migration_loads_a_rule_for_every_record_type():
    rules = dict(RetentionRule.objects.values_list("record_type", "retain_days"))
    assert set(rules) == set(RetentionRule.RecordType.values)
    assert all(days >= 1 for days in rules.values())
    assert all(r.legal_basis and r.source for r in RetentionRule.objects.all())


@pytest.fixture
def old_and_new_records(applicant, admin_user, submit):
    """Per record type one record past its rule and one still within it."""
    with freeze_time(_days_ago(40)):
        stale_user = UserFactory(email="lama@example.test", email_verified_at=None)
    UserFactory(email="baru@example.test", email_verified_at=None)
    old_token, _ = api_token_create(actor=applicant, name="lama", scopes=["profile"], days=1)
    with freeze_time(_days_ago(100)):
        api_token_revoke(actor=applicant, public_id=old_token.public_id)
    api_token_create(actor=applicant, name="baru", scopes=["profile"], days=30)
    old_job = DBTaskResult.objects.create(
        task_path="simi.core.tasks.ping",
        args_kwargs={"args": ["x"], "kwargs": {}},
        status="SUCCESSFUL",
        run_after=_days_ago(32),
        started_at=_days_ago(31),
        finished_at=_days_ago(31),
        backend_name="default",
        queue_name="default",
        priority=0,
    )
    DBTaskResult.objects.create(
        task_path="simi.core.tasks.ping",
        args_kwargs={"args": ["y"], "kwargs": {}},
        status="SUCCESSFUL",
        run_after=_days_ago(2),
        started_at=_days_ago(1),
        finished_at=_days_ago(1),
        backend_name="default",
        queue_name="default",
        priority=0,
    )
    WorkerHeartbeat.objects.create(
        worker_id="old", hostname="h", pid=1, started_at=_days_ago(9), last_seen_at=_days_ago(8)
    )
    WorkerHeartbeat.objects.create(
        worker_id="new", hostname="h", pid=2, started_at=_days_ago(1), last_seen_at=timezone.now()
    )
    with freeze_time(_days_ago(800)):
        old_request = submit(applicant)
        dsr_reject(actor=admin_user, public_id=old_request.public_id, reason="Sudah ditangani.")
    submit(applicant)
    return {
        "unverified_accounts": stale_user.public_id,
        "api_tokens": old_token.public_id,
        "task_results": old_job.id,
        "worker_heartbeats": "old",
        "closed_requests": old_request.public_id,
    }


def test_the_purge_deletes_exactly_the_old_records_and_is_idempotent(old_and_new_records):
    # when the purge runs
    results = {r.record_type: r for r in retention_purge()}
    # then one record of each type is gone and the recent one stays
    assert {t: r.deleted for t, r in results.items()} == dict.fromkeys(old_and_new_records, 1)
    assert not User.objects.filter(email="lama@example.test").exists()
    assert User.objects.filter(email="baru@example.test").exists()
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["baru"]
    assert DBTaskResult.objects.count() == 1
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["new"]
    # and each type has one audit entry with the count and the ids
    entries = AuditEntry.objects.filter(action="privacy.retention_purged")
    assert entries.count() == len(old_and_new_records)
    for entry in entries:
        record_type = entry.data["record_type"]
        assert entry.data["count"] == 1
        assert entry.data["ids"] == [str(old_and_new_records[record_type])]
    # and a second run deletes nothing and writes nothing
    again = retention_purge()
    assert all(r.found == 0 and r.deleted == 0 for r in again)
    assert AuditEntry.objects.filter(action="privacy.retention_purged").count() == len(
        old_and_new_records
    )


def test_a_dry_run_counts_but_changes_nothing(old_and_new_records):
    results = retention_purge(dry_run=True)
    assert all(r.found == 1 and r.deleted == 0 for r in results)
    assert WorkerHeartbeat.objects.count() == 2
    assert not AuditEntry.objects.filter(action="privacy.retention_purged").exists()


def test_an_inactive_rule_keeps_its_records(old_and_new_records):
    RetentionRule.objects.filter(record_type="worker_heartbeats").update(is_active=False)
    retention_purge()
    assert WorkerHeartbeat.objects.count() == 2


def test_a_long_id_list_is_recorded_as_a_hash(db):
    for n in range(MAX_LISTED_IDS + 5):
        WorkerHeartbeat.objects.create(
            worker_id=f"w{n}",
            hostname="h",
            pid=n,
            started_at=_days_ago(30),
            last_seen_at=_days_ago(30),
        )
    retention_purge()
    entry = AuditEntry.objects.get(action="privacy.retention_purged")
    assert entry.data["count"] == MAX_LISTED_IDS + 5
    assert "ids" not in entry.data
    assert len(entry.data["ids_sha256"]) == 64


def test_the_command_prints_what_it_found_and_deleted(old_and_new_records):
    out = StringIO()
    call_command("retention_purge", "--dry-run", stdout=out)
    assert "worker_heartbeats" in out.getvalue()
    assert "found 1, deleted 0" in out.getvalue()
    assert WorkerHeartbeat.objects.count() == 2
    out = StringIO()
    call_command("retention_purge", stdout=out)
    assert "found 1, deleted 1" in out.getvalue()
    assert "Deleted 5 records." in out.getvalue()
