"""Django's ``flush``, run in audit maintenance mode.

Flush empties every table, which the append-only triggers would refuse for
the audit tables (SQLite's DELETE, PostgreSQL's TRUNCATE). Tests flush the
database after each transactional test, so flush lifts the guard for itself
(overriding a core command from an app is Django's documented mechanism).
Emptying the whole database is not a quiet edit: published tree heads still
show what the log held. In production flush refuses while entries exist.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections

from simi.audit.guard import audit_maintenance
from simi.audit.models import AuditEntry


class Command(flush.Command):
    help = flush.Command.help + " Runs in audit maintenance mode (see docs/audit-log.md)."

    def handle(self, **options: Any) -> None:
        database = options["database"]
        if settings.PRODUCTION and AuditEntry.objects.using(database).exists():
            raise CommandError(
                "flush would erase the audit log, which is append-only; refused in production."
            )
        if options["interactive"]:
            # Asked here, outside the transaction: on SQLite that transaction
            # holds the write lock, which must not wait for a human.
            name = connections[database].settings_dict["NAME"]
            answer = input(
                f"This will IRREVERSIBLY DESTROY all data in the {name!r} database, "
                "the audit log included.\nType 'yes' to continue, or 'no' to cancel: "
            )
            if answer != "yes":
                self.stdout.write("Flush cancelled.")
                return
        with audit_maintenance(using=database):
            super().handle(**{**options, "interactive": False})
