"""Audit actions and error codes of enforcement (docs/codes.md)."""

from simi.core.codes import AuditAction, ErrorCode


class Action(AuditAction):
    CASE_OPENED = "enforcement.case_opened", "A case was opened for a foreigner's violation."
    VIOLATION_JOINED = "enforcement.violation_joined", "A violation was put into a case."
    CASE_ASSIGNED = "enforcement.case_assigned", "A case was assigned to an oversight officer."
    DEADLINE_SET = "enforcement.deadline_set", "A case's due date was moved."
    NOTE_ADDED = "enforcement.note_added", "A note was added to a case."
    CASE_CLOSED = "enforcement.case_closed", "A case was closed with a reason."
    CASE_VIEWED = "enforcement.case_viewed", "Staff opened a case (personal data)."
    EVIDENCE_ADDED = "enforcement.evidence_added", "An evidence file was added to a case."
    EVIDENCE_VIEWED = "enforcement.evidence_viewed", "Staff opened an evidence file."
    ACTION_PROPOSED = (
        "enforcement.action_proposed",
        "An officer proposed an administrative action with written grounds.",
    )
    ACTION_APPROVED = (
        "enforcement.action_approved",
        "A supervisor (not the proposer) approved an action with reasons.",
    )
    ACTION_REJECTED = (
        "enforcement.action_rejected",
        "A supervisor (not the proposer) rejected an action with reasons.",
    )
    ACTION_EFFECTIVE = (
        "enforcement.action_effective",
        "An approved action took effect (bill, permit cancelled, entry ban, record).",
    )
    CHARGE_PAID = "enforcement.charge_paid", "The bill of an overstay charge was paid."
    CHARGE_REISSUED = (
        "enforcement.charge_reissued",
        "The expired bill of an overstay charge was reissued.",
    )
    CASES_EXPORTED = "enforcement.cases_exported", "The case list was exported (CSV or XLSX)."
    COUNTS_EXPORTED = (
        "enforcement.counts_exported",
        "The dashboard's foreigner counts were exported (CSV or XLSX).",
    )
    DEMO_SEEDED = "enforcement.demo_seeded", "The demo cases and actions were created."


class Code(ErrorCode):
    # who may (access.py); reading and working on cases are refused with oversight's codes
    OVERSIGHT_DECIDE_ONLY = (
        "oversight_decide_only",
        "Only a supervisor who decides actions may do this.",
    )
    # cases
    CASE_CLOSED = "case_closed", "The case is closed."
    SUMMARY_TOO_LONG = "summary_too_long", "A case summary is at most 2000 characters."
    VIOLATION_CLOSED = "violation_closed", "The violation is closed; it opens no case."
    ASSIGNEE_NOT_ALLOWED = (
        "assignee_not_allowed",
        "Choose an active oversight officer of the case's office.",
    )
    DUE_REQUIRED = "due_required", "Enter the due date."
    DUE_IN_PAST = "due_in_past", "The due date cannot be in the past."
    TEXT_LENGTH = "text_length", "A note has 1 to 5000 characters."
    REASON_LENGTH = "reason_length", "A reason has 10 to 5000 characters."
    GROUNDS_LENGTH = "grounds_length", "Written grounds have 20 to 5000 characters."
    ACTION_PENDING = (
        "action_pending",
        "An action of the case waits for a decision; decide it first.",
    )
    DESCRIPTION_TOO_LONG = (
        "description_too_long",
        "An evidence description is at most 500 characters.",
    )
    TOO_MUCH_EVIDENCE = "too_much_evidence", "A case holds at most 50 evidence files."
    # administrative actions
    UNKNOWN_ACTION = "unknown_action", "Choose one of the active administrative actions."
    EFFECTIVE_ORDER = "effective_order", "The action cannot end before it starts."
    NO_PERMIT = "no_permit", "The foreigner has no stay permit that can be cancelled."
    NO_OVERSTAY_CHARGE = "no_overstay_charge", "The case has no overstay with a charge to bill."
    CHARGE_ALREADY_PROPOSED = (
        "charge_already_proposed",
        "The case's overstay charge is already proposed or billed.",
    )
    ACTION_DECIDED = "action_decided", "The action has already been decided."
    OWN_PROPOSAL = "own_proposal", "Another supervisor must decide an action you proposed."
