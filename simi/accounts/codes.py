"""Audit actions and error codes of accounts (docs/codes.md)."""

from simi.core.codes import AuditAction, ErrorCode


class Action(AuditAction):
    APPLICANT_REGISTERED = (
        "accounts.applicant_registered",
        "An applicant registered; the verification mail was queued.",
    )
    REGISTRATION_REPEATED = (
        "accounts.registration_repeated",
        "Someone registered again with an address that has an account; the owner was mailed.",
    )
    EMAIL_VERIFIED = "accounts.email_verified", "An applicant confirmed the e-mail address."
    VERIFICATION_RESENT = (
        "accounts.verification_resent",
        "Someone asked for a new verification link; queued only for an unverified account.",
    )
    PASSWORD_RESET_REQUESTED = (
        "accounts.password_reset_requested",
        "Someone asked for a password reset link; queued only for an active account.",
    )
    PASSWORD_RESET = (
        "accounts.password_reset",
        "An account set a new password from a reset link; its sessions and API tokens ended.",
    )
    STAFF_CREATED = "accounts.staff_created", "A staff or partner account was created."
    API_TOKEN_CREATED = "accounts.api_token_created", "An API token was issued, with its scopes."
    API_TOKEN_REVOKED = "accounts.api_token_revoked", "An API token was revoked by its owner."
    ACCOUNT_ANONYMIZED = (
        "accounts.account_anonymized",
        "An account was kept without anything that identifies its owner (UU PDP).",
    )
    MFA_ENROLLED = "accounts.mfa_enrolled", "A staff member confirmed an authenticator app."
    MFA_VERIFIED = "accounts.mfa_verified", "A second-factor code was right."
    MFA_FAILED = "accounts.mfa_failed", "A second-factor code was wrong (five lock it a while)."
    DEMO_SEEDED = "accounts.demo_seeded", "The demo accounts were created."
    IDENTITY_CLAIMED = (
        "accounts.identity_claimed",
        "An applicant recorded an identity number: theirs at once, or waiting for a check.",
    )
    IDENTITY_CLAIM_WITHDRAWN = (
        "accounts.identity_claim_withdrawn",
        "A claim waiting for a check ended: the applicant entered another number.",
    )
    IDENTITY_CLAIM_OFFICE_CHOSEN = (
        "accounts.identity_claim_office_chosen",
        "The applicant chose the office where the documents of a claim will be checked.",
    )
    IDENTITY_CLAIM_VIEWED = (
        "accounts.identity_claim_viewed",
        "An officer opened a claim with the claimant's identity data.",
    )
    IDENTITY_CLAIM_CONFIRMED = (
        "accounts.identity_claim_confirmed",
        "After seeing the documents, an officer confirmed the number as the claimant's.",
    )
    IDENTITY_CLAIM_REJECTED = (
        "accounts.identity_claim_rejected",
        "After seeing the documents, an officer found the number is not the claimant's.",
    )
    IDENTITY_WITHDRAWN = (
        "accounts.identity_withdrawn",
        "An account lost its identity record: its number was confirmed as another person's.",
    )
    HOUSEHOLD_MEMBER_ADDED = (
        "accounts.household_member_added",
        "An applicant added a family member (with an identity record) to apply for.",
    )
    HOUSEHOLD_MEMBER_UPDATED = (
        "accounts.household_member_updated",
        "An applicant changed a family member's relationship or identity data (field names).",
    )
    HOUSEHOLD_MEMBER_REMOVED = (
        "accounts.household_member_removed",
        "An applicant removed a family member without applications; the record went with it.",
    )


class Code(ErrorCode):
    # registration and verification
    EMAIL_REQUIRED = "email_required", "Enter the e-mail address."
    EMAIL_FORMAT = "email_format", "The e-mail address is not valid."
    EMAIL_TAKEN = "email_taken", "This e-mail address already has an account."
    PASSWORD_WEAK = "password_weak", "Choose a stronger password; `fields.password` says why."
    VERIFICATION_EXPIRED = (
        "verification_expired",
        "The verification link has expired; ask for a new one (or register again).",
    )
    VERIFICATION_INVALID = "verification_invalid", "The verification link is not valid."
    PASSWORD_RESET_LINK_INVALID = (
        "password_reset_link_invalid",
        "The password reset link is not valid, has expired or was already used; ask again.",
    )
    # signing in (the delay after wrong passwords is core's sign_in_delayed)
    LOGIN_FAILED = "login_failed", "The e-mail address or the password is wrong."
    EMAIL_UNVERIFIED = "email_unverified", "Verify the e-mail address before signing in."
    SESSION_EXPIRED = (
        "session_expired",
        "A staff session ended after being idle or too long; sign in again.",
    )
    # the second factor
    MFA_REQUIRED = "mfa_required", "Confirm the code from the authenticator app first."
    MFA_NOT_ENROLLED = "mfa_not_enrolled", "Set up an authenticator app first."
    MFA_WRONG_CODE = "mfa_wrong_code", "The authenticator code is not correct."
    MFA_LOCKED = "mfa_locked", "Too many wrong codes; wait a few minutes."
    # identity numbers recorded by applicants
    IDENTITY_CHANGES_LIMITED = (
        "identity_changes_limited",
        "The account changed its identity data too often today; see Retry-After.",
    )
    IDENTITY_CLAIM_DECIDED = (
        "identity_claim_decided",
        "The claim was already decided or withdrawn; nothing changed.",
    )
    IDENTITY_CLAIM_STALE = (
        "identity_claim_stale",
        "The claimant's record no longer exists (erased); the claim cannot be confirmed.",
    )
    # household members
    HOUSEHOLD_FULL = "household_full", "The account already has the most family members allowed."
    HOUSEHOLD_NUMBER_REPEATED = (
        "household_number_repeated",
        "The number is the account holder's own or another family member's of the account.",
    )
    HOUSEHOLD_MEMBER_IN_USE = (
        "household_member_in_use",
        "The family member has applications and cannot be removed.",
    )
    HOUSEHOLD_CHANGES_LIMITED = (
        "household_changes_limited",
        "The account changed its family members too often this hour; see Retry-After.",
    )
    # staff accounts
    ROLE_INVALID = "role_invalid", "Choose a staff or partner role."
    # API tokens
    TOKEN_NAME = "token_name", "A token's name has 1 to 100 characters."
    SCOPE_UNKNOWN = "scope_unknown", "A requested scope does not exist."
    SCOPE_FORBIDDEN = "scope_forbidden", "The role cannot use a requested scope."
    TOKEN_DAYS = "token_days", "A token lives from 1 day to the configured maximum."


FORMERLY = {Action.DEMO_SEEDED: "demo.seeded"}
