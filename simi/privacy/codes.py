"""Audit actions and error codes of personal-data protection (docs/codes.md)."""

from simi.core.codes import AuditAction, ErrorCode


class Action(AuditAction):
    # data-subject requests (UU 27/2022)
    REQUEST_SUBMITTED = (
        "privacy.request_submitted",
        "A data subject asked about their own data (access, correction, erasure, ...).",
    )
    REQUEST_STARTED = "privacy.request_started", "A privacy handler took a request."
    REQUEST_COMPLETED = (
        "privacy.request_completed",
        "A request was carried out and closed (an access request at once, by the person).",
    )
    REQUEST_REJECTED = "privacy.request_rejected", "A handler refused a request, with a reason."
    REQUEST_ESCALATED = (
        "privacy.request_escalated",
        "An open request passed its 3x24-hour deadline; the handlers were alerted.",
    )
    ACCESS_EXPORTED = (
        "privacy.access_exported",
        "A person downloaded the copy of everything SIMI holds on them.",
    )
    # personal-data incidents (Pasal 46)
    INCIDENT_REPORTED = "privacy.incident_reported", "A personal-data incident was recorded."
    INCIDENT_UPDATED = "privacy.incident_updated", "Fields of an incident changed."
    INCIDENT_NOTIFIED = (
        "privacy.incident_notified",
        "The notice of an incident went to the data subjects or to the PDP agency.",
    )
    # retention
    RETENTION_PURGED = (
        "privacy.retention_purged",
        "Records older than their retention rule were destroyed (count and ids).",
    )


class Code(ErrorCode):
    # data-subject requests
    DETAILS_TOO_LONG = "details_too_long", "The request's details are longer than 4,000 characters."
    TOO_MANY_OPEN_REQUESTS = (
        "too_many_open_requests",
        "The person has three open requests already; wait until one is answered.",
    )
    REQUEST_FINISHED = "request_finished", "The request is already completed or refused."
    NOTE_TOO_SHORT = "note_too_short", "The handler's note is shorter than 10 characters."
    REASON_TOO_SHORT = "reason_too_short", "The reason for refusing is shorter than 10 characters."
    ERASURE_NOT_ALLOWED = (
        "erasure_not_allowed",
        "The law does not allow erasure yet (a duty to keep the data); refuse the request.",
    )
    # incidents
    NOT_NOTIFIED = (
        "not_notified",
        "Record both notices (data subjects and PDP agency) before marking it notified.",
    )
    AUDIENCE = "audience", "A notice goes to the data subjects or to the PDP agency."
    NOTIFIED_IN_FUTURE = "notified_in_future", "The time of the notice is in the future."
    NOTIFIED_BEFORE_DISCOVERY = (
        "notified_before_discovery",
        "The notice cannot predate the incident's discovery.",
    )
