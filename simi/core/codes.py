"""Named vocabularies: every audit action and every error code is a member of
an enumeration owned by one domain.

Each SIMI app keeps a ``codes.py`` with up to two enumerations:

- ``Action(AuditAction)``: what its services write to the audit log. Every
  value is ``"<app label>.<what happened>"`` in the past tense
  (``"applications.submitted"``), so one prefix names one domain.
- ``Code(ErrorCode)``: the stable ``code`` of the errors it raises
  (``"not_a_draft"``). Codes are part of the API contract, so they carry no
  prefix and never change once published; a code belongs to exactly one
  domain. Codes any domain may raise (validation, scopes, idempotency,
  identity numbers, money) are core's ``CommonCode``, below.

A module imports its own domain's ``Action``/``Code`` by name and core's
``CommonCode``; another domain's codes (only from a layer below) by module:
``from simi.catalog import codes as catalog_codes``.

``audit_record(action=...)`` and ``SimiError(code=...)`` take these members
only, so mypy refuses a free-form string and a typo cannot reach the log or an
API client. A ``codes.py`` whose audit actions were renamed keeps a module-level
``FORMERLY = {Action.X: "old.value"}``: entries written before the rename keep
their old value (the log is append-only) and the docs list both.
``docs/codes.md`` is generated from the enumerations
(``make codes``); a test fails when it is stale, when a literal string is
passed as an action or code, or when two domains claim one value.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from importlib import import_module

from django.apps import apps


class _Vocabulary(StrEnum):
    """A member is its value, optionally with a one-line meaning for the docs:
    ``NOT_A_DRAFT = "not_a_draft", "The application was already submitted."``"""

    description: str

    def __new__(cls, value: str, description: str = "") -> _Vocabulary:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member


class AuditAction(_Vocabulary):
    """Base of the domains' audit actions."""


class ErrorCode(_Vocabulary):
    """Base of the domains' error codes."""


def domain_label(enum: type[StrEnum]) -> str:
    """The app label of the ``simi.<app>.codes`` module that defines ``enum``."""
    parts = enum.__module__.split(".")
    if len(parts) != 3 or parts[0] != "simi" or parts[2] != "codes":
        raise TypeError(f"{enum.__qualname__} must be defined in simi/<app>/codes.py")
    return apps.get_containing_app_config(enum.__module__).label  # type: ignore[union-attr]


def _load_all() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("simi."):
            try:
                import_module(f"{config.name}.codes")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.codes":
                    raise


def _leaves(base: type[StrEnum]) -> Iterator[type[StrEnum]]:
    for sub in base.__subclasses__():
        yield sub
        yield from _leaves(sub)


def audit_actions() -> list[type[AuditAction]]:
    """Every domain's audit-action enumeration, by app label."""
    _load_all()
    found = [e for e in _leaves(AuditAction) if issubclass(e, AuditAction)]
    return sorted(found, key=domain_label)


def error_codes() -> list[type[ErrorCode]]:
    """Every domain's error-code enumeration, by app label (core first)."""
    _load_all()
    found = [e for e in _leaves(ErrorCode) if issubclass(e, ErrorCode)]
    return sorted(found, key=lambda e: (domain_label(e) != "core", domain_label(e)))


class CommonCode(ErrorCode):
    """Errors any domain may answer with (core's own included)."""

    # the shared error family (simi.core.errors) and the API's own answers
    ERROR = "error", "The request could not be completed."
    VALIDATION_FAILED = "validation_failed", "Some fields are not valid; `fields` names them."
    NOT_AUTHENTICATED = "not_authenticated", "Not signed in, or no valid API token."
    PERMISSION_DENIED = "permission_denied", "Signed in, but the role may not do this."
    NOT_FOUND = "not_found", "No such record, or not one the caller may see."
    CONFLICT = "conflict", "The record's current state does not allow this."
    RATE_LIMITED = "rate_limited", "Too many requests; wait for Retry-After seconds."
    SIGN_IN_DELAYED = (
        "sign_in_delayed",
        "Too many wrong passwords for this account from here; wait for Retry-After seconds.",
    )
    REQUEST_TOO_LARGE = "request_too_large", "The request body is larger than SIMI accepts."
    INTERNAL_ERROR = "internal_error", "A fault on SIMI's side; quote the reference."
    SERVICE_UNAVAILABLE = (
        "service_unavailable",
        "SIMI's database is down or restarting; nothing was saved halfway, retry after "
        "Retry-After seconds.",
    )
    MALFORMED_REQUEST = (
        "malformed_request",
        "The body cannot be read: broken JSON, a multipart form without its boundary.",
    )
    METHOD_NOT_ALLOWED = "method_not_allowed", "The path does not take this method; see Allow."
    CSRF_FAILED = "csrf_failed", "A signed-in browser sent no valid CSRF token."
    SCOPE_MISSING = "scope_missing", "The API token lacks the scope this operation needs."
    REAUTH_REQUIRED = (
        "reauth_required",
        "A sensitive action: confirm a fresh second-factor code (X-SIMI-OTP for tokens).",
    )
    REASON_REQUIRED = "reason_required", "A written reason is required for this step."
    REASON_TOO_LONG = "reason_too_long", "The written reason is longer than this step accepts."
    NOTE_REQUIRED = "note_required", "A written note is required for this step."
    NOTE_TOO_LONG = "note_too_long", "The note is longer than this step accepts."
    OFFICE_REQUIRED = "office_required", "Choose the office this belongs to."
    UNKNOWN_OFFICE = "unknown_office", "There is no active office with this code."
    NOT_A_DRAFT = "not_a_draft", "The record is no longer a draft and cannot change so."
    KIND = "kind", "Choose one of the kinds offered."
    UNKNOWN_REASON = "unknown_reason", "Choose one of the reasons offered."
    # Idempotency-Key (simi.core.idempotency)
    IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid", "The Idempotency-Key header is malformed."
    IDEMPOTENCY_KEY_REUSED = (
        "idempotency_key_reused",
        "The Idempotency-Key was already used for a different request.",
    )
    IDEMPOTENCY_IN_PROGRESS = (
        "idempotency_in_progress",
        "A request with this Idempotency-Key is still running; retry shortly.",
    )
    # uploaded files, judged by content (simi.core.uploads, simi.core.pdfinspect)
    FILE_MISSING = "file_missing", "No file was sent; choose the file and send it again."
    FILE_EMPTY = "file_empty", "The uploaded file is empty."
    FILE_TOO_LARGE = "file_too_large", "The file is larger than SIMI_MAX_UPLOAD_BYTES."
    FILE_TYPE_NOT_ACCEPTED = "file_type_not_accepted", "The file is not a PDF, JPEG or PNG."
    IMAGE_TOO_LARGE = "image_too_large", "The picture has more than 40 megapixels."
    IMAGE_DAMAGED = "image_damaged", "The picture does not decode completely."
    PDF_DAMAGED = "pdf_damaged", "The PDF does not parse, or a key is given twice."
    PDF_ENCRYPTED = "pdf_encrypted", "The PDF is password-protected."
    PDF_TOO_COMPLEX = "pdf_too_complex", "The PDF has more objects than SIMI checks."
    PDF_ACTIVE_CONTENT = (
        "pdf_active_content",
        "The PDF would act when opened: scripts, actions, links, attachments, forms that post.",
    )
    PDF_EMPTY = "pdf_empty", "The PDF has no pages."
    PDF_TOO_MANY_PAGES = "pdf_too_many_pages", "The PDF has more pages than SIMI accepts."
    STORAGE_FULL = (
        "storage_full",
        "SIMI's file storage is full; nothing was kept. Try again later (Retry-After).",
    )
    # files of rows imported by a worker (oversight's lodging reports, screening's watchlists)
    FILE_ENCODING = "file_encoding", "The file is not UTF-8 text; save it as UTF-8."
    FILE_NO_ROWS = "file_no_rows", "The file has no rows to import."
    WORKER_STOPPED = (
        "worker_stopped",
        "The import failed because the worker checking the file stopped; upload it again.",
    )
    # signed requests from machines (payment channels, oversight's devices)
    SIGNATURE_MISSING = "signature_missing", "A header of the signature scheme is missing."
    SIGNATURE_INVALID = "signature_invalid", "The signature does not match the request."
    TIMESTAMP_INVALID = "timestamp_invalid", "The signed timestamp is not unix seconds."
    TIMESTAMP_OUT_OF_WINDOW = (
        "timestamp_out_of_window",
        "The signed timestamp is more than 5 minutes away from SIMI's clock.",
    )
    BODY_TOO_LARGE = "body_too_large", "The body is larger than this operation accepts."
    # amounts in Rupiah (simi.core.money)
    RUPIAH_FORMAT = "rupiah_format", "The amount is not whole Rupiah."
    RUPIAH_NEGATIVE = "rupiah_negative", "The amount is negative."
    RUPIAH_TOO_LARGE = "rupiah_too_large", "The amount is larger than SIMI can hold."
    # tracking codes (simi.core.trackingcodes)
    TRACKING_CODE_FORMAT = "tracking_code_format", "A tracking code has 16 letters and digits."
    TRACKING_CODE_CHECK = "tracking_code_check", "The tracking code's check characters fail."
    # a person's name and identity numbers (simi.core.identity)
    NAME_REQUIRED = "name_required", "The full name is empty."
    NAME_TOO_LONG = "name_too_long", "The full name is longer than 150 characters."
    NIK_REQUIRED = "nik_required", "The NIK is missing."
    NIK_FORMAT = "nik_format", "A NIK has exactly 16 digits."
    NIK_PROVINCE = "nik_province", "The NIK's province code does not exist."
    NIK_REGION = "nik_region", "The NIK's regency or district code is not valid."
    NIK_BIRTH_DATE = "nik_birth_date", "The birth date inside the NIK is not a real past date."
    NIK_SERIAL = "nik_serial", "The NIK's last four digits cannot be 0000."
    PASSPORT_REQUIRED = "passport_required", "The passport number is missing."
    NATIONALITY_FORMAT = "nationality_format", "A nationality is a three-letter ICAO code."
    PASSPORT_FORMAT = "passport_format", "The passport number does not have a valid form."


def _formerly(enum: type[StrEnum]) -> dict[str, str]:
    module = import_module(enum.__module__)
    return {str(k): v for k, v in getattr(module, "FORMERLY", {}).items()}


def codes_markdown() -> str:
    """docs/codes.md: every audit action and error code, by domain."""
    out = [
        "# Audit actions and error codes",
        "",
        "Generated from the `codes.py` of each app by `make codes`; a test fails when",
        "this page is stale. Error codes are the `error.code` of the API's error",
        "envelope and never change once published; audit actions are the `action` of",
        "audit-log entries (`docs/audit-log.md`).",
        "",
        "## Error codes",
        "",
    ]
    for enum in error_codes():
        out += [f"### {domain_label(enum)}", "", "| code | meaning |", "|---|---|"]
        out += [f"| `{m.value}` | {m.description} |" for m in enum]
        out.append("")
    out += ["## Audit actions", ""]
    for actions in audit_actions():
        formerly = _formerly(actions)
        out += [f"### {domain_label(actions)}", "", "| action | meaning | formerly |"]
        out.append("|---|---|---|")
        for m in actions:
            old = formerly.get(m.value, "")
            old_cell = f"`{old}`" if old else ""
            out.append(f"| `{m.value}` | {m.description} | {old_cell} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
