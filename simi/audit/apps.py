from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "simi.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from simi.audit.guard import register_sqlite_function

        # The SQLite guard triggers call this function; a connection without
        # it could not touch audit rows at all (see simi.audit.guard).
        connection_created.connect(register_sqlite_function, dispatch_uid="simi.audit.guard")
