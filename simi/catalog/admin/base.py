"""The audit trail of edits made in the catalogue admin."""

from __future__ import annotations

from simi.audit.adminaudit import AuditedAdmin as BaseAuditedAdmin
from simi.catalog.codes import Action


class AuditedAdmin(BaseAuditedAdmin):
    """Writes a catalogue audit entry for every add, change and delete made here."""

    audit_added = Action.ADMIN_ADDED
    audit_changed = Action.ADMIN_CHANGED
    audit_deleted = Action.ADMIN_DELETED
