"""Audit actions and error codes of applications (docs/codes.md)."""

from simi.core.codes import AuditAction, ErrorCode


class Action(AuditAction):
    # the applicant (services, documents)
    CREATED = "applications.created", "An applicant started a draft for a service at an office."
    DETAILS_SAVED = (
        "applications.details_saved",
        "The applicant gave the details the service asks for (family card, sponsor).",
    )
    DOCUMENT_UPLOADED = (
        "applications.document_uploaded",
        "A file was uploaded for a required document, by the applicant or at the counter.",
    )
    DOCUMENT_REMOVED = (
        "applications.document_removed",
        "The applicant removed a file that was not yet reviewed.",
    )
    SUBMITTED = (
        "applications.submitted",
        "A draft was submitted: fee and due date fixed, tracking code given.",
    )
    CANCELLED = (
        "applications.cancelled",
        "The applicant cancelled a draft or a registered application, with a reason.",
    )
    DRAFT_DISCARDED = (
        "applications.draft_discarded",
        "A draft went with the applicant's erased data (UU PDP), its files included.",
    )
    # staff reads of personal data, with their purpose
    VIEWED = "applications.viewed", "Staff opened an application with its identity record."
    DOCUMENT_VIEWED = "applications.document_viewed", "Staff read an uploaded file."
    # the officer workflow (workflow.py), with the states from and to
    VERIFICATION_STARTED = (
        "applications.verification_started",
        "An officer started checking the documents.",
    )
    DOCUMENTS_REQUESTED = (
        "applications.documents_requested",
        "An officer asked the applicant for documents by a deadline in working days.",
    )
    DOCUMENTS_SENT = (
        "applications.documents_sent",
        "The applicant said the documents asked for are uploaded: back to the officer.",
    )
    VERIFIED = (
        "applications.verified",
        "An officer found the documents complete: on to the interview.",
    )
    INTERVIEWED = (
        "applications.interviewed",
        "The interview was held and biometrics enrolled; the bill was issued.",
    )
    PAID = "applications.paid", "The application's bill was paid: on to a supervisor."
    NO_FEE_DUE = (
        "applications.no_fee_due",
        "The service has no fee (Rp0): no bill; on to a supervisor after the interview.",
    )
    PAID_UNEXPECTEDLY = (
        "applications.paid_unexpectedly",
        "A bill was paid while the application no longer awaited payment; payments keeps "
        "the money for a refund.",
    )
    APPROVED = "applications.approved", "A supervisor (not the verifier) approved the application."
    REJECTED = (
        "applications.rejected",
        "A supervisor (not the verifier) refused the application, with a reason code.",
    )
    ISSUED = (
        "applications.issued",
        "The document the service issues was registered and sealed: ready for collection.",
    )
    COLLECTED = "applications.collected", "The applicant collected the issued document."
    CANCELLED_UNPAID = (
        "applications.cancelled_unpaid",
        "Cancelled by SIMI: the bill expired unpaid and the billing rule says cancel.",
    )
    CANCELLED_DOCUMENTS_OVERDUE = (
        "applications.cancelled_documents_overdue",
        "Cancelled by SIMI: the documents asked for did not come by the deadline.",
    )
    CANCELLED_UNCOLLECTED = (
        "applications.cancelled_uncollected",
        "Cancelled by SIMI: the document was not collected within 30 days and was withdrawn.",
    )


class Code(ErrorCode):
    # applying, submitting, cancelling (the applicant)
    APPLICANTS_ONLY = "applicants_only", "Only an active applicant account can apply."
    IDENTITY_MISSING = (
        "identity_missing",
        "Enter the identity data first (My account, Identity), then apply.",
    )
    MEMBER_UNKNOWN = (
        "member_unknown",
        "The family member named is not one of the account's household members.",
    )
    SERVICE_NOT_FOR_APPLICANT = (
        "service_not_for_applicant",
        "The service is for the other kind of applicant (citizen or foreigner).",
    )
    TRACKING_CODE_EXHAUSTED = (
        "tracking_code_exhausted",
        "No free tracking code was found; submit again.",
    )
    SERVICE_WITHDRAWN = (
        "service_withdrawn",
        "The office no longer offers the service; cancel the draft and start again.",
    )
    CATALOGUE_INCOMPLETE = (
        "catalogue_incomplete",
        "The service has no fee or service standard in force today; try again later.",
    )
    APPLICATION_INCOMPLETE = (
        "application_incomplete",
        "Required documents or details are missing; `missing` lists each (item, kind, label).",
    )
    DECLARATION_REQUIRED = (
        "declaration_required",
        "Declare that the information given is true and complete (`declaration: true`).",
    )
    CANNOT_CANCEL = (
        "cannot_cancel",
        "Only a draft or a registered application can be cancelled online.",
    )
    # the details a service asks beyond the identity record
    DETAILS_CLOSED = "details_closed", "The details can no longer be changed online."
    NOT_ASKED = "not_asked", "The service does not ask for this detail."
    DETAILS_EMPTY = "details_empty", "None of the details the service asks for was given."
    KK_FORMAT = "kk_format", "A family card (Kartu Keluarga) number has 16 digits."
    KK_PROVINCE = "kk_province", "The family card number does not start with a province code."
    SPONSOR_INVALID = (
        "sponsor_invalid",
        "The sponsor's kind, name or contact is not valid; `fields` names them.",
    )
    # documents
    DOCUMENTS_CLOSED = (
        "documents_closed",
        "Documents can no longer be added in the application's current state.",
    )
    UNKNOWN_DOCUMENT = "unknown_document", "A document named is not one the service requires."
    TOO_MANY_DOCUMENTS = "too_many_documents", "The application has 40 files; remove one first."
    DOCUMENT_LOCKED = (
        "document_locked",
        "The file was reviewed, or the application's state no longer lets it be removed.",
    )
    # the application's bill (billing.py)
    BILLING_RULE_MISSING = (
        "billing_rule_missing",
        "The service has no billing rule; the office must set one first.",
    )
    NOT_SUBMITTED = "not_submitted", "Only a submitted application can be billed."
    APPLICATION_NOT_PAYABLE = (
        "application_not_payable",
        "The application has nothing to pay in its current state.",
    )
    ALREADY_PAID = "already_paid", "The application is already paid."
    FEE_MISMATCH = (
        "fee_mismatch",
        "The fee fixed at submission differs from the catalogue's fees for that day.",
    )
    # the officer workflow (workflow.py, the staff API)
    NOT_A_CASE_WORKER = (
        "not_a_case_worker",
        "Only staff who process or decide applications may use the work queue.",
    )
    WORKFLOW_NOT_ALLOWED = "workflow_not_allowed", "The role may not take this step."
    SEGREGATION_OF_DUTIES = (
        "segregation_of_duties",
        "Whoever verified the application may not decide it; another officer must.",
    )
    INVALID_TRANSITION = (
        "invalid_transition",
        "The step is not possible in the application's current state.",
    )
    DOCUMENTS_REQUIRED = "documents_required", "Choose at least one document to ask for."
    DEADLINE_OUT_OF_RANGE = (
        "deadline_out_of_range",
        "The deadline is outside the range of data/documents_deadline.csv (7 to 14 working days).",
    )
    DETAILS_INCOMPLETE = (
        "details_incomplete",
        "The applicant has not given every detail the service asks for; ask for it first.",
    )
    DOCUMENTS_INCOMPLETE = (
        "documents_incomplete",
        "Mandatory documents are missing; ask the applicant for them first.",
    )
    BIOMETRICS_REFERENCE = (
        "biometrics_reference",
        "The enrolment station's reference has letters, digits and '-', up to 40.",
    )
    NOTHING_TO_ISSUE = "nothing_to_issue", "The catalogue does not say what the service issues."
    NUMBER_REQUIRED = "number_required", "Enter the number printed in the passport booklet."
    IDENTITY_INCOMPLETE = (
        "identity_incomplete",
        "The identity record has no birth date, so a passport cannot be written.",
    )
    DOCUMENTS_MISSING = (
        "documents_missing",
        "Upload every document asked for before telling the office they are sent.",
    )


FORMERLY = {
    Action.CREATED: "application.created",
    Action.DETAILS_SAVED: "application.details_saved",
    Action.DOCUMENT_UPLOADED: "application.document_uploaded",
    Action.DOCUMENT_REMOVED: "application.document_removed",
    Action.SUBMITTED: "application.submitted",
    Action.CANCELLED: "application.cancelled",
    Action.DRAFT_DISCARDED: "application.draft_discarded",
    Action.VIEWED: "application.viewed",
    Action.DOCUMENT_VIEWED: "application.document_viewed",
    Action.VERIFICATION_STARTED: "application.verification_started",
    Action.DOCUMENTS_REQUESTED: "application.documents_requested",
    Action.DOCUMENTS_SENT: "application.documents_sent",
    Action.VERIFIED: "application.verified",
    Action.INTERVIEWED: "application.interviewed",
    Action.PAID: "application.paid",
    Action.PAID_UNEXPECTEDLY: "application.payment_unexpected",
    Action.APPROVED: "application.approved",
    Action.REJECTED: "application.rejected",
    Action.ISSUED: "application.issued",
    Action.COLLECTED: "application.collected",
    Action.CANCELLED_UNPAID: "application.cancelled_unpaid",
    Action.CANCELLED_DOCUMENTS_OVERDUE: "application.cancelled_documents_overdue",
    Action.CANCELLED_UNCOLLECTED: "application.cancelled_uncollected",
}
