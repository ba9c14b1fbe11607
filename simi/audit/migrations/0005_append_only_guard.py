"""The database refuses UPDATE, DELETE and TRUNCATE of audit rows.

Entries, tree nodes and signed tree heads are append-only; the log head
(``audit_auditloghead``) may be updated (its size grows) but not deleted.
The refusal is lifted only in audit maintenance mode, which Django's flush
uses (simi.audit.guard, docs/audit-log.md):

- PostgreSQL: the session or transaction setting ``simi.audit_maintenance = 'on'``.
- SQLite: the per-connection function ``simi_audit_maintenance()`` returning 1.
  Django registers it on every connection (simi.audit.apps); a connection
  without it (the sqlite3 shell) cannot change audit rows at all.

The SQL is written out here rather than imported so this migration keeps
meaning what it meant when it ran.
"""

from django.db import migrations

APPEND_ONLY = ["audit_auditentry", "audit_auditmerklenode", "audit_audittreehead"]
HEAD = "audit_auditloghead"
MESSAGE = "audit rows are append-only"

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION simi_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('simi.audit_maintenance', true) = 'on' THEN
        IF TG_LEVEL = 'STATEMENT' THEN
            RETURN NULL;
        ELSIF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation',
              HINT = 'The audit log is tamper-evident; see docs/audit-log.md.';
END;
$$;
"""


def _pg_statements(table: str, row_events: str) -> tuple[list[str], list[str]]:
    create = [
        f'CREATE TRIGGER "{table}_append_only" BEFORE {row_events} ON "{table}" '
        "FOR EACH ROW EXECUTE FUNCTION simi_audit_refuse_change();",
        f'CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION simi_audit_refuse_change();",
    ]
    drop = [
        f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}";',
        f'DROP TRIGGER IF EXISTS "{table}_no_truncate" ON "{table}";',
    ]
    return create, drop


def _sqlite_statements(table: str, events: list[str]) -> tuple[list[str], list[str]]:
    create, drop = [], []
    for event in events:
        name = f"{table}_no_{event.lower()}"
        create.append(
            f'CREATE TRIGGER "{name}" BEFORE {event} ON "{table}" '
            "WHEN simi_audit_maintenance() IS NOT 1 "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )
        drop.append(f'DROP TRIGGER IF EXISTS "{name}";')
    return create, drop


def _statements(vendor: str) -> tuple[list[str], list[str]]:
    create: list[str] = []
    drop: list[str] = []
    if vendor == "postgresql":
        create.append(PG_FUNCTION)
        for table in APPEND_ONLY:
            more_create, more_drop = _pg_statements(table, "UPDATE OR DELETE")
            create += more_create
            drop += more_drop
        more_create, more_drop = _pg_statements(HEAD, "DELETE")
        create += more_create
        drop += more_drop
        drop.append("DROP FUNCTION IF EXISTS simi_audit_refuse_change();")
    elif vendor == "sqlite":
        for table in APPEND_ONLY:
            more_create, more_drop = _sqlite_statements(table, ["UPDATE", "DELETE"])
            create += more_create
            drop += more_drop
        more_create, more_drop = _sqlite_statements(HEAD, ["DELETE"])
        create += more_create
        drop += more_drop
    else:
        raise NotImplementedError(f"No audit guard for the {vendor} database.")
    return create, drop


def install(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor)[0]:
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor)[1]:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_leaves_required"),
    ]

    operations = [
        migrations.RunPython(install, remove),
    ]
