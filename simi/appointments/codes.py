"""Audit actions and error codes of appointments (docs/codes.md)."""

from simi.core.codes import AuditAction


class Action(AuditAction):
    ADMIN_ADDED = "appointments.admin_added", "A schedule or quota row was added."
    ADMIN_CHANGED = "appointments.admin_changed", "A schedule or quota row was changed."
    ADMIN_DELETED = (
        "appointments.admin_deleted",
        "A schedule or quota row was deleted in the admin.",
    )
