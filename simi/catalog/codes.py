"""Audit actions and error codes of the service catalogue (docs/codes.md)."""

from simi.core.codes import AuditAction, ErrorCode


class Action(AuditAction):
    FEE_SCHEDULED = "catalog.fee_scheduled", "A fee was scheduled from a date (period plan)."
    SLA_SCHEDULED = "catalog.sla_scheduled", "A service standard was scheduled from a date."
    ADMIN_ADDED = "catalog.admin_added", "A catalogue row was added in the admin."
    ADMIN_CHANGED = "catalog.admin_changed", "Fields of a catalogue row changed in the admin."
    ADMIN_DELETED = "catalog.admin_deleted", "A catalogue row was deleted in the admin."


class Code(ErrorCode):
    RETROACTIVE_REASON_REQUIRED = (
        "retroactive_reason_required",
        "A period that starts in the past needs a reason.",
    )
    PERIOD_OVERLAP = "period_overlap", "The period overlaps another of the same value."
    # raised by the domains that take a service code (applications, appointments)
    UNKNOWN_SERVICE = "unknown_service", "There is no active service with this code."
    SERVICE_NOT_OFFERED = "service_not_offered", "The office does not offer this service."
