"""The shared error model: one exception family with stable codes.

Services raise these; ``simi.api`` maps them to JSON and ``simi.core.views`` to
friendly pages. ``code`` is stable for machines; ``message`` is localized.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.core.codes import CommonCode, ErrorCode
from simi.core.outage import RETRY_AFTER_SECONDS


def _member(code: ErrorCode) -> ErrorCode:
    # mypy refuses a plain string; this refuses one from untyped code too, so
    # no free-form code reaches an API client.
    if not isinstance(code, ErrorCode):
        raise TypeError(f"code must be a member of a domain's codes.Code, not {code!r}")
    return code


class SimiError(Exception):
    status = 400
    code: ErrorCode = CommonCode.ERROR
    default_message: str | Promise = _("The request could not be completed.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: ErrorCode | None = None,
        fields: dict[str, list[str | Promise]] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = _member(code)
        self.fields = fields or {}
        super().__init__(str(self.message))

    def headers(self) -> dict[str, str]:
        """HTTP headers the answer must carry (a challenge, the allowed methods)."""
        return {}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.fields:
            body["fields"] = {name: [str(m) for m in msgs] for name, msgs in self.fields.items()}
        return body


class ValidationFailed(SimiError):
    status = 422
    code = CommonCode.VALIDATION_FAILED
    default_message = _("Some fields are not valid.")

    @classmethod
    def for_field(
        cls, field: str, message: str | Promise, *, code: ErrorCode | None = None
    ) -> ValidationFailed:
        return cls(message, code=code, fields={field: [message]})


class MalformedRequest(SimiError):
    """The body cannot be read at all (broken JSON, a multipart form without
    its boundary): nothing field by field to report."""

    status = 400
    code = CommonCode.MALFORMED_REQUEST
    default_message = _("The request cannot be read. Check its format and send it again.")


class NotAuthenticated(SimiError):
    status = 401
    code = CommonCode.NOT_AUTHENTICATED
    default_message = _("Sign in first, or send a valid API token.")
    # RFC 9110: a 401 names the scheme to use; RFC 6750 adds why a token failed.
    challenge = "Bearer"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": self.challenge}


class InvalidToken(NotAuthenticated):
    """A bearer token was sent and is wrong, expired or revoked."""

    challenge = 'Bearer error="invalid_token"'


class PermissionDenied(SimiError):
    status = 403
    code = CommonCode.PERMISSION_DENIED
    default_message = _("You are not allowed to do this.")


class ScopeMissing(PermissionDenied):
    """An API token without the scope the operation declares; names the scope."""

    code = CommonCode.SCOPE_MISSING

    def __init__(self, scope: str) -> None:
        super().__init__(
            _("This API token does not carry the scope %(scope)s that this needs.")
            % {"scope": scope}
        )
        self.scope = scope

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "scope": self.scope}


class CsrfFailed(PermissionDenied):
    code = CommonCode.CSRF_FAILED
    default_message = _(
        "The page's security token is missing or out of date. Reload the page and try again."
    )


class NotFound(SimiError):
    status = 404
    code = CommonCode.NOT_FOUND
    default_message = _("We could not find what you asked for.")


class MethodNotAllowed(SimiError):
    status = 405
    code = CommonCode.METHOD_NOT_ALLOWED

    def __init__(self, allowed: list[str]) -> None:
        self.allowed = sorted(allowed)
        super().__init__(
            _("This address accepts only %(methods)s.") % {"methods": ", ".join(self.allowed)}
        )

    def headers(self) -> dict[str, str]:
        return {"Allow": ", ".join(self.allowed)}


class Conflict(SimiError):
    status = 409
    code = CommonCode.CONFLICT
    default_message = _("This conflicts with the current state of the record.")


class RateLimited(SimiError):
    status = 429
    code = CommonCode.RATE_LIMITED
    default_message = _("Too many requests. Please wait a moment and try again.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: ErrorCode | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message, code=code)
        # Seconds until a new attempt is looked at: the Retry-After header.
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}


class ServiceUnavailable(SimiError):
    """SIMI cannot serve the request now (its database is down or restarting);
    the same request will work again shortly, see ``Retry-After``."""

    status = 503
    code = CommonCode.SERVICE_UNAVAILABLE
    default_message = _(
        "SIMI cannot reach its database for a moment. Nothing was saved halfway: "
        "please try again in a minute."
    )

    def __init__(
        self, message: str | Promise | None = None, *, retry_after: int = RETRY_AFTER_SECONDS
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class StorageFull(SimiError):
    """The file store refused the bytes (no space, quota): 507, and nothing of
    the upload is kept (simi.core.storage removes the partial file)."""

    status = 507
    code = CommonCode.STORAGE_FULL
    default_message = _(
        "SIMI cannot store files at the moment. Nothing was saved; please try again later."
    )
    retry_after = 300

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}
