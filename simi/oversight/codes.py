"""Audit actions and error codes of oversight, all four sub-packages (docs/codes.md)."""

from simi.core.codes import AuditAction, ErrorCode


class Action(AuditAction):
    # the register (register/)
    FOREIGNER_REGISTERED = (
        "oversight.foreigner_registered",
        "A foreigner was added to the register (from a passport MRZ or a stay permit).",
    )
    FOREIGNER_UPDATED = "oversight.foreigner_updated", "A foreigner's kecamatan or address changed."
    FOREIGNER_VIEWED = "oversight.foreigner_viewed", "Staff opened a foreigner's record."
    FOREIGNERS_EXPORTED = (
        "oversight.foreigners_exported",
        "The register of foreigners was exported (CSV or XLSX), with the filters.",
    )
    TRAVEL_DOCUMENT_ADDED = (
        "oversight.travel_document_added",
        "Another passport was added to a foreigner.",
    )
    SPONSOR_CREATED = "oversight.sponsor_created", "A sponsor (person or company) was recorded."
    MOVEMENT_RECORDED = (
        "oversight.movement_recorded",
        "An entry or exit of a foreigner was recorded.",
    )
    PERMIT_RECORDED = "oversight.permit_recorded", "A stay permit was recorded for a foreigner."
    PERMIT_CANCELLED = "oversight.permit_cancelled", "A stay permit was cancelled."
    PERMIT_EXTENDED = (
        "oversight.permit_extended",
        "A permit SIMI issued as an extension continues this one, which is now extended.",
    )
    PERMIT_REOPENED = (
        "oversight.permit_reopened",
        "The extension of a permit was cancelled: the permit is active (or expired) again.",
    )
    PERMITS_EXPIRED = "oversight.permits_expired", "Active permits past their last day expired."
    PERMIT_REMINDERS_CREATED = (
        "oversight.permit_reminders_created",
        "Reminders of permits expiring within 30, 7 or 1 days were created.",
    )
    VIOLATION_DETECTED = (
        "oversight.violation_detected",
        "A violation was found (overstay, lodging without a permit, address mismatch).",
    )
    VIOLATION_ESCALATED = (
        "oversight.violation_escalated",
        "An overstay grew long enough to be escalated to deportation.",
    )
    OVERSTAYS_REFRESHED = (
        "oversight.overstays_refreshed",
        "Running overstays were counted again (days and charge).",
    )
    # sightings (sightings/)
    SIGHTING_RECORDED = (
        "oversight.sighting_recorded",
        "An officer recorded a sighting in the field.",
    )
    SIGHTING_VIEWED = "oversight.sighting_viewed", "Staff opened a sighting."
    SIGHTING_PHOTO_VIEWED = "oversight.sighting_photo_viewed", "Staff opened a sighting's photo."
    # devices (devices/)
    DEVICE_REGISTERED = "oversight.device_registered", "A device was registered with its key."
    DEVICE_REKEYED = "oversight.device_rekeyed", "A device got a new key; the old one stopped."
    DEVICE_STATUS_CHANGED = (
        "oversight.device_status_changed",
        "A device was disabled or enabled again.",
    )
    DEVICE_WENT_OFFLINE = (
        "oversight.device_went_offline",
        "A device was silent longer than its interval: an offline alert opened.",
    )
    DEVICE_CAME_BACK_ONLINE = (
        "oversight.device_came_back_online",
        "A device with an open offline alert was heard from again; the alert closed.",
    )
    DEVICE_EVENTS_RECEIVED = (
        "oversight.device_events_received",
        "A signed batch of device events with findings (not only heartbeats) was stored.",
    )
    # lodging reports (lodging/)
    LODGING_REPORTED = "oversight.lodging_reported", "A lodging partner reported a guest."
    LODGING_CHECKED_OUT = (
        "oversight.lodging_checked_out",
        "A reported guest's check-out was recorded.",
    )
    LODGING_IMPORT_RECEIVED = (
        "oversight.lodging_import_received",
        "A CSV file of lodging reports was accepted and queued.",
    )
    LODGING_IMPORT_DONE = (
        "oversight.lodging_import_done",
        "Every row of a lodging file was imported.",
    )
    LODGING_IMPORT_REJECTED = (
        "oversight.lodging_import_rejected",
        "A lodging file had bad rows: nothing was imported.",
    )
    LODGING_IMPORT_REQUEUED = (
        "oversight.lodging_import_requeued",
        "A lodging file whose worker stopped was queued again.",
    )
    LODGING_IMPORT_FAILED = (
        "oversight.lodging_import_failed",
        "A lodging file's worker stopped too many times: it failed and its file was erased.",
    )
    DEMO_SEEDED = (
        "oversight.demo_seeded",
        "The demo foreigners, permits and lodging reports were made.",
    )


class Code(ErrorCode):
    # who may (access.py); enforcement answers with the first two as well
    OVERSIGHT_ONLY = "oversight_only", "Only oversight staff may read the register and cases."
    OVERSIGHT_WRITE_ONLY = (
        "oversight_write_only",
        "Only oversight officers may write the register and work on cases.",
    )
    DEVICE_MANAGERS_ONLY = (
        "device_managers_only",
        "Only oversight officers and supervisors manage devices.",
    )
    OFFICE_OUT_OF_SCOPE = "office_out_of_scope", "The office is not one the caller works for."
    OFFICE = "office", "A system caller must name the office of the new record."
    PARTNERS_ONLY = "partners_only", "Only lodging partners report guests."
    # the register: passports and permits
    MRZ_REQUIRED = "mrz_required", "Paste the two lines of the passport's MRZ."
    MRZ_FORMAT = "mrz_format", "This is not a passport MRZ of two lines of 44 characters."
    MRZ_NOT_PASSPORT = "mrz_not_passport", "The MRZ is a visa's, not a passport's."
    MRZ_CHECK_DIGIT = "mrz_check_digit", "A check digit of the MRZ fails; `fields.mrz` names each."
    MRZ_NATIONALITY = "mrz_nationality", "The MRZ's nationality is not a three-letter code."
    MRZ_DATE = "mrz_date", "A birth or expiry date in the MRZ is not a real date."
    MRZ_OTHER_NATIONALITY = (
        "mrz_other_nationality",
        "The new passport is of another nationality than the foreigner's.",
    )
    PASSPORT_REGISTERED = "passport_registered", "This passport is already in the register."
    FOREIGNER_REGISTERED = "foreigner_registered", "This person is already in the register."
    PERMIT_NUMBER_TAKEN = "permit_number_taken", "A permit of this kind with this number exists."
    HOLDER_NOT_FOREIGNER = "holder_not_foreigner", "A stay permit is for a foreigner."
    # the permit an extension names (applications asks the register)
    PERMIT_TO_EXTEND_UNKNOWN = (
        "permit_to_extend_unknown",
        "The permit chosen is not one of your own permits of the kind the service extends.",
    )
    PERMIT_TO_EXTEND_ENDED = (
        "permit_to_extend_ended",
        "The permit ended longer ago than a late extension allows (the overstay threshold).",
    )
    PERMIT_TO_EXTEND_CLOSED = (
        "permit_to_extend_closed",
        "The permit is cancelled or already extended.",
    )
    EXTENSION_START = (
        "extension_start",
        "An extension starts after the permit it extends ends.",
    )
    EXPIRING_WITHIN_RANGE = "expiring_within_range", "`expiring_within` is 0 to 366 days."
    # devices
    DEVICE_CODE_TAKEN = "device_code_taken", "A device with this code is already registered."
    KEY_KIND_INVALID = "key_kind_invalid", "Choose HMAC or Ed25519."
    PUBLIC_KEY_INVALID = "public_key_invalid", "The Ed25519 public key is not 32 bytes in base64."
    STATUS_INVALID = "status_invalid", "A device is active or disabled."
    # signed device events (the signature's own codes are core's, shared with payments)
    UNKNOWN_DEVICE = "unknown_device", "No active device has this code."
    NONCE_INVALID = "nonce_invalid", "The nonce is not 16 to 64 visible characters."
    KEY_ROTATED = "key_rotated", "The request names a replaced key; use the device's current key."
    NONCE_REPLAYED = "nonce_replayed", "The nonce was used in the last 10 minutes: a replay."
    BODY_INVALID = "body_invalid", 'The body is not JSON of the form `{"events": [...]}`.'
    BATCH_TOO_LARGE = "batch_too_large", "A batch has at most 5,000 events."
    EVENT_INVALID = (
        "event_invalid",
        "An event is not valid; `fields` names it by index and nothing was stored.",
    )
    # lodging reports: one guest, and the files (a file's other codes are core's)
    REPORT_IN_PROGRESS = (
        "report_in_progress",
        "The same report is being stored at this moment; try again shortly.",
    )
    FILE_NOT_CSV = "file_not_csv", "The file is not a valid CSV file."
    FILE_HEADER = "file_header", "The file's first line is not the header of the template."
    FILE_TOO_MANY_ROWS = "file_too_many_rows", "The file has more than 20,000 rows; split it."
    # a bad row of a lodging file (`errors[].code`; name, nationality and passport are core's)
    CHECK_IN_REQUIRED = "check_in_required", "The check-in time is empty."
    CHECK_IN_FORMAT = "check_in_format", "The check-in is not a date and time."
    CHECK_IN_FUTURE = "check_in_future", "The check-in is in the future."
    CHECK_OUT_FORMAT = "check_out_format", "The check-out is not a date and time."
    CHECK_OUT_BEFORE_CHECK_IN = "check_out_before_check_in", "The check-out is before the check-in."
    CHECK_OUT_FUTURE = "check_out_future", "The check-out is in the future."
    CHECK_OUT_CONFLICT = (
        "check_out_conflict",
        "The stay was already reported with another check-out.",
    )
    DUPLICATE_IN_FILE = "duplicate_in_file", "The same guest and check-in is on an earlier line."
    COLUMNS = "columns", "The row does not have the five columns of the header."


FORMERLY = {
    Action.DEVICE_WENT_OFFLINE: "oversight.device_offline",
    Action.DEVICE_CAME_BACK_ONLINE: "oversight.device_back_online",
}
