"""Audit actions and error codes of screening (docs/codes.md)."""

from simi.core.codes import AuditAction, ErrorCode


class Action(AuditAction):
    # watchlists and their governance
    WATCHLIST_CREATED = "screening.watchlist_created", "A watchlist was created."
    IMPORT_RECEIVED = (
        "screening.import_received",
        "A watchlist file was accepted and queued.",
    )
    IMPORT_DONE = (
        "screening.import_done",
        "A watchlist file was compared with the list: added, changed, removed, unchanged.",
    )
    IMPORT_FAILED = (
        "screening.import_failed",
        "A watchlist file could not be read, or its worker stopped; its file was erased.",
    )
    IMPACT_ESTIMATED = (
        "screening.impact_estimated",
        "How many people would hit the draft entries was estimated.",
    )
    ENTRIES_PUBLISHED = (
        "screening.entries_published",
        "The estimated draft entries of a list went live.",
    )
    ENTRY_PUBLISHED = "screening.entry_published", "One estimated draft entry went live."
    ENTRY_RETIRED = "screening.entry_retired", "An entry was taken off its list, with a reason."
    ENTRY_GOVERNANCE_UPDATED = (
        "screening.entry_governance_updated",
        "An entry's owner, reason, legal basis or review date changed.",
    )
    # the switch
    SWITCHED_ON = "screening.switched_on", "Automatic screening was turned on, with a reason."
    SWITCHED_OFF = "screening.switched_off", "Automatic screening was turned off, with a reason."
    CONTROL_CHANGED = (
        "screening.control_changed",
        "The review threshold changed, automatic screening staying on or off.",
    )
    # screening and reviews
    PERSON_SCREENED = (
        "screening.person_screened",
        "Staff screened one person against the live lists, with a purpose.",
    )
    REVIEW_OPENED = (
        "screening.review_opened",
        "A watchlist hit or a high risk score opened a review item.",
    )
    REVIEW_VIEWED = "screening.review_viewed", "A reviewer opened a review item (personal data)."
    REVIEW_CONFIRMED = "screening.review_confirmed", "A reviewer confirmed a hit, with a reason."
    REVIEW_DISMISSED = (
        "screening.review_dismissed",
        "A reviewer dismissed a hit as a false positive, with a reason.",
    )
    REVIEW_ESCALATED = "screening.review_escalated", "A reviewer escalated a hit, with a reason."
    # the risk model
    RISK_MODEL_TRAINED = (
        "screening.risk_model_trained",
        "A risk model version was trained and measured (a draft).",
    )
    RISK_MODEL_ACTIVATED = (
        "screening.risk_model_activated",
        "A risk model version started scoring; the previous one retired.",
    )
    RISK_MODEL_RETIRED = "screening.risk_model_retired", "A risk model version stopped scoring."
    FAIRNESS_EXPORTED = (
        "screening.fairness_exported",
        "The fairness and drift report was exported (CSV).",
    )


class Code(ErrorCode):
    # watchlists, entries, reviews
    UNKNOWN_FILTER = "unknown_filter", "The status filter is not one of those offered."
    IMPACT_ESTIMATE_REQUIRED = (
        "impact_estimate_required",
        "Estimate the impact of the draft entries before publishing them.",
    )
    UNKNOWN_DECISION = "unknown_decision", "Choose confirm, dismiss or escalate."
    ALREADY_DECIDED = "already_decided", "The review item is already decided."
    THRESHOLD_RANGE = "threshold_range", "The threshold is outside the range allowed."
    # watchlist files (the size, emptiness and encoding codes are core's)
    IMPORT_RUNNING = (
        "import_running",
        "Another file for this list is still being imported; wait for it to finish.",
    )
    FILE_FORMAT = (
        "file_format",
        "The first line is no OpenSanctions, FollowTheMoney or SIMI watchlist format.",
    )
    # a row of a watchlist file that was skipped (`problems[].code`; a stopped
    # worker is core's worker_stopped)
    NOT_UTF8 = "not_utf8", "The line is not UTF-8 text."
    INVALID_JSON = "invalid_json", "The line is not a JSON entity."
    ID_OR_NAME_MISSING = "id_or_name_missing", "The row has no id or no name."
    BIRTH_DATE_IGNORED = "birth_date_ignored", "A birth date not in YYYY[-MM[-DD]] was ignored."
    COUNTRY_IGNORED = "country_ignored", "A country not in ISO 3166 alpha-2 was ignored."
    UNKNOWN_LIST_KIND = "unknown_list_kind", "The row's list_kind is not one SIMI knows."
    TOO_MANY_FIELDS = "too_many_fields", "The row has more fields than the header."
    DUPLICATE_ID = "duplicate_id", "The id is on an earlier row of the file; the first counts."
    BAD_ROW = "bad_row", "The row cannot be read."
    # the risk model
    DATA_THIN = "data_thin", "Too little data to train on: both outcomes are needed."
    AUC_TOO_LOW = "auc_too_low", "The model ranks hardly better than chance; it is not activated."
    RANGE = "range", "The start of the period is after its end."
