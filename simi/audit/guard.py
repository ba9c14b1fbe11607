"""Audit maintenance mode: the one way past the append-only triggers.

The triggers (migration ``0005_append_only_guard``) refuse UPDATE, DELETE and
TRUNCATE of audit rows unless the connection is in maintenance mode. Only
``audit_maintenance()`` turns it on, and only Django's flush uses it (tests
empty the database between transactional tests). Whatever is done in
maintenance mode is still caught by ``manage.py audit_verify`` and by anyone
holding a published tree head: the guard stops accidents and application
bugs; the hashes and signatures are what detect a determined operator.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE_FUNCTION = "simi_audit_maintenance"
PG_SETTING = "simi.audit_maintenance"

# SQLite has no session settings: the triggers call a function that reads this
# per-connection flag instead.
_sqlite_maintenance: weakref.WeakKeyDictionary[BaseDatabaseWrapper, bool] = (
    weakref.WeakKeyDictionary()
)


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: give each SQLite connection the function
    the guard triggers call."""
    if connection.vendor != "sqlite":
        return
    wrapper = weakref.ref(connection)

    def maintenance_on() -> int:
        current = wrapper()
        return int(current is not None and _sqlite_maintenance.get(current, False))

    connection.connection.create_function(SQLITE_FUNCTION, 0, maintenance_on)


def _switch(connection: BaseDatabaseWrapper, on: bool) -> None:
    if connection.vendor == "sqlite":
        _sqlite_maintenance[connection] = on
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # is_local=true: the setting dies with the transaction even if a
            # crash skips the reset below.
            cursor.execute("SELECT set_config(%s, %s, true)", [PG_SETTING, "on" if on else "off"])
    else:
        raise NotImplementedError(f"No audit guard for the {connection.vendor} database.")


@contextmanager
def audit_maintenance(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let this block change audit rows, inside one transaction."""
    connection = connections[using]
    with transaction.atomic(using=using):
        connection.ensure_connection()
        _switch(connection, True)
        try:
            yield
        except BaseException:
            # PostgreSQL forgets the setting with the rolled-back transaction
            # (and refuses statements until then); SQLite's flag is ours to reset.
            if connection.vendor == "sqlite":
                _sqlite_maintenance[connection] = False
            raise
        _switch(connection, False)


def guard_triggers_missing(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Names of guard triggers the database lacks (a table remade on SQLite loses them)."""
    connection = connections[using]
    tables = ["audit_auditentry", "audit_auditmerklenode", "audit_audittreehead"]
    if connection.vendor == "sqlite":
        expected = [f"{t}_no_{event}" for t in tables for event in ("update", "delete")]
        expected.append("audit_auditloghead_no_delete")
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    elif connection.vendor == "postgresql":
        all_tables = [*tables, "audit_auditloghead"]
        expected = [f"{t}_{kind}" for t in all_tables for kind in ("append_only", "no_truncate")]
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
    else:
        return []
    with connection.cursor() as cursor:
        cursor.execute(query)
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected if name not in present]
