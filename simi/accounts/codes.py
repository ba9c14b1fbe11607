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


class Code(ErrorCode):
    # registration and verification
    EMAIL_REQUIRED = "email_required", "Enter the e-mail address."
    EMAIL_FORMAT = "email_format", "The e-mail address is not valid."
    EMAIL_TAKEN = "email_taken", "This e-mail address already has an account."
    PASSWORD_WEAK = "password_weak", "Choose a stronger password; `fields.password` says why."
    VERIFICATION_EXPIRED = (
        "verification_expired",
        "The verification link has expired; register again for a new one.",
    )
    VERIFICATION_INVALID = "verification_invalid", "The verification link is not valid."
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
    # staff accounts
    ROLE_INVALID = "role_invalid", "Choose a staff or partner role."
    # API tokens
    TOKEN_NAME = "token_name", "A token's name has 1 to 100 characters."
    SCOPE_UNKNOWN = "scope_unknown", "A requested scope does not exist."
    SCOPE_FORBIDDEN = "scope_forbidden", "The role cannot use a requested scope."
    TOKEN_DAYS = "token_days", "A token lives from 1 day to the configured maximum."


FORMERLY = {Action.DEMO_SEEDED: "demo.seeded"}
