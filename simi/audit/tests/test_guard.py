"""The database itself refuses to change or remove audit rows."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from simi.audit.guard import audit_maintenance, guard_triggers_missing
from simi.audit.models import AuditEntry, AuditLogHead, AuditMerkleNode, AuditTreeHead
from simi.audit.services import tree_head_publish
from simi.audit.tests.conftest import STEP


@pytest.fixture
def logged(audit_log):
    entries = audit_log(3)
    tree_head_publish()
    return entries


def _refused(run) -> None:
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        run()


@pytest.mark.django_db
def test_it_refuses_orm_updates_and_deletes(logged):
    entry = logged[1]
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="other"))
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).delete())
    _refused(lambda: AuditMerkleNode.objects.filter(level=0).update(hash=b"\x00" * 32))
    _refused(lambda: AuditMerkleNode.objects.all().delete())
    _refused(lambda: AuditTreeHead.objects.update(size=99))
    _refused(lambda: AuditTreeHead.objects.all().delete())
    # then nothing changed
    assert AuditEntry.objects.get(pk=entry.pk).action == STEP
    assert AuditEntry.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET purpose = 'rewritten'",
        "DELETE FROM audit_auditentry",
        'UPDATE audit_auditmerklenode SET "index" = "index" + 100',
        "DELETE FROM audit_audittreehead",
        "DELETE FROM audit_auditloghead",
    ],
)
def test_it_refuses_raw_sql_updates_and_deletes(logged, sql):
    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)

    _refused(run)


@pytest.mark.django_db
def test_the_log_head_counter_stays_updatable(logged):
    # the one audit row that must change with every append
    AuditLogHead.objects.update(size=3)
    assert AuditLogHead.objects.get().size == 3


@pytest.mark.django_db
def test_maintenance_mode_lets_changes_through_and_ends_with_its_block(logged):
    # when a block runs in maintenance mode
    with audit_maintenance():
        AuditEntry.objects.filter(leaf_index=2).delete()
    # then its change went through, and the guard is back afterwards
    assert AuditEntry.objects.count() == 2
    _refused(lambda: AuditEntry.objects.filter(leaf_index=1).delete())


@pytest.mark.django_db
def test_maintenance_mode_ends_when_its_block_fails(logged):
    with pytest.raises(RuntimeError), audit_maintenance():
        raise RuntimeError("stop")
    _refused(lambda: AuditEntry.objects.all().delete())


@pytest.mark.django_db
def test_every_guard_trigger_is_installed():
    assert guard_triggers_missing() == []


@pytest.mark.django_db
def test_flush_refuses_to_erase_a_production_log(logged, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="append-only; refused in production"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_between_tests(audit_log):
    # given an audit log outside any test transaction
    audit_log(2)
    # when Django flushes the database (as it does after each transactional test)
    call_command("flush", interactive=False, verbosity=0)
    # then the log is empty, and the guard holds again
    assert not AuditEntry.objects.exists()
    assert guard_triggers_missing() == []
