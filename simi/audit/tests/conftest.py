"""Fixtures for the audit log: a small log, and raw SQL the way a database
superuser would run it (guard triggers out of the way)."""

from collections.abc import Callable, Sequence

import pytest
from django.db import connection

from simi.audit.codes import Action
from simi.audit.models import AuditEntry
from simi.audit.services import audit_record

# Any member will do: the log does not read its actions.
STEP = Action.KEYS_ROTATED


@pytest.fixture
def audit_log(db: None, officer) -> Callable[[int], list[AuditEntry]]:
    """Append ``n`` entries by the Liwa officer; returns them in leaf order."""

    def append(n: int) -> list[AuditEntry]:
        return [
            audit_record(
                actor=officer,
                action=STEP,
                target=officer,
                data={"step": i, "code": f"C-{i:03d}"},
                purpose="testing",
            )
            for i in range(n)
        ]

    return append


def _drop_sqlite_guard() -> None:
    # The test's transaction rolls back at the end and brings the triggers back.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER "{name}"')


@pytest.fixture
def as_superuser() -> Callable[[str, Sequence[object]], None]:
    """Run SQL past the append-only guard, as an attacker with full database rights."""

    def run(sql: str, params: Sequence[object] = ()) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # A superuser's way to skip every trigger for this transaction.
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute(sql, params)
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            else:
                _drop_sqlite_guard()
                cursor.execute(sql, params)

    return run


@pytest.fixture
def json_param() -> str:
    """Placeholder for a JSON value in raw SQL on this database."""
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
