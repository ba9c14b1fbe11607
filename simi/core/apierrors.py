"""One place that turns every failure into the JSON error envelope.

``{"error": {"code", "message", "fields", "reference"}}`` with the message in
the caller's language (Accept-Language or the language cookie), and the
headers the status needs (``WWW-Authenticate`` on 401, ``Allow`` on 405).

A request the API cannot read is the caller's fault and a 400
``malformed_request``: broken or non-UTF-8 JSON, a multipart body without its
boundary or with a part that does not decode, a form Django finds suspicious.
A method no operation of the path takes is a 405 ``method_not_allowed``:
ninja answers it before any handler runs, so ``envelope_wrong_methods`` wraps
the API's URL patterns. A database that is down or restarting is a 503
``service_unavailable`` with ``Retry-After`` (``simi.core.outage``), not a
500: the same call will work again shortly.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.http.request import UnreadablePostError
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import (
    AuthenticationError,
    AuthorizationError,
    HttpError,
    Throttled,
    ValidationError,
)

from simi.core.errors import (
    MalformedRequest,
    MethodNotAllowed,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServiceUnavailable,
    SimiError,
)
from simi.core.outage import is_database_outage, outage_kind

logger = logging.getLogger("simi.api")


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    # loc looks like ("body", "payload", "email"), ("query", "level") or
    # ("file", "photo"); only the first "file" is a location (a file field
    # may itself be called "file").
    loc = loc[1:] if loc[:1] in (["file"], ("file",)) else loc
    parts = [
        str(p)
        for p in loc
        if p not in ("body", "query", "path", "header", "cookie", "form", "payload")
    ]
    return ".".join(parts) or "__all__"


def localized_validation_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind in {"string_too_long", "too_long"}:
        return _("Too long: at most %(max)s characters.") % {"max": ctx.get("max_length", "?")}
    if kind in {"string_too_short", "too_short"}:
        return _("Too short: at least %(min)s characters.") % {"min": ctx.get("min_length", "?")}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type"}:
        return _("Enter a number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"uuid_parsing", "uuid_type"}:
        return _("Enter a valid identifier (UUID).")
    if kind in {"date_parsing", "date_from_datetime_parsing", "date_type"}:
        return _("Enter a date as YYYY-MM-DD.")
    if kind in {"datetime_parsing", "datetime_type", "datetime_from_date_parsing"}:
        return _("Enter a date and time in ISO 8601 form.")
    if kind in {"string_type", "string_unicode"}:
        return _("Enter text.")
    if kind in {"list_type", "too_short_list"}:
        return _("Enter a list.")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Enter an object.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Must be at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt", "?"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Must be at most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt", "?"))}
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind == "string_pattern_mismatch":
        return _("The value does not have the expected form.")
    return _("This value is not valid.")


def error_response(
    api: NinjaAPI, request: HttpRequest, body: dict[str, Any], status: int
) -> HttpResponse:
    body["reference"] = getattr(request, "request_id", "")
    return api.create_response(request, {"error": body}, status=status)


def simi_error_response(api: NinjaAPI, request: HttpRequest, exc: SimiError) -> HttpResponse:
    response = error_response(api, request, exc.as_dict(), exc.status)
    for name, value in exc.headers().items():
        response[name] = value
    return response


def outage_response(api: NinjaAPI, request: HttpRequest, exc: BaseException) -> HttpResponse:
    """503 ``service_unavailable`` with ``Retry-After``: the database is down
    (``simi.core.outage``). The caller is treated as anonymous from here on, so
    that nothing on the way out (logs, headers) asks the database who it is."""
    logger.warning(
        "api_database_unavailable", extra={"path": request.path, "kind": outage_kind(exc)}
    )
    forget_user(request)
    response = simi_error_response(api, request, ServiceUnavailable())
    response["Cache-Control"] = "no-store"
    return response


def forget_user(request: HttpRequest) -> None:
    """Replace the lazily loaded user by an anonymous one (it cannot be loaded now)."""
    request.user = AnonymousUser()


def envelope_wrong_methods(
    api: NinjaAPI, patterns: list[URLResolver | URLPattern]
) -> list[URLResolver | URLPattern]:
    """Give ninja's bare-text 405 (a method no operation of the path takes)
    the envelope and a sorted ``Allow``."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _enveloping_405(api, pattern.callback)
    return patterns


def _enveloping_405(api: NinjaAPI, view: Callable[..., Any]) -> Callable[..., Any]:
    if getattr(view, "envelopes_405", False):
        return view

    @functools.wraps(view)  # keeps csrf_exempt: ninja checks CSRF in its auth
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = [method.strip() for method in response["Allow"].split(",")]
            return simi_error_response(api, request, MethodNotAllowed(allowed))
        return response

    wrapped.envelopes_405 = True  # type: ignore[attr-defined]
    return wrapped


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(SimiError)
    def simi_error(request: HttpRequest, exc: SimiError) -> HttpResponse:
        return simi_error_response(api, request, exc)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for item in exc.errors:
            fields.setdefault(_field_name(item.get("loc", ())), []).append(
                localized_validation_message(item)
            )
        body = {
            "code": "validation_failed",
            "message": _("Some fields are not valid."),
            "fields": fields,
        }
        return error_response(api, request, body, 422)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return simi_error_response(api, request, NotAuthenticated())

    @api.exception_handler(AuthorizationError)
    def authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return error_response(api, request, PermissionDenied().as_dict(), 403)

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = error_response(api, request, RateLimited().as_dict(), 429)
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait) + 1)
        return response

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        body = {"code": "request_too_large", "message": _("The request is too large.")}
        return error_response(api, request, body, 400)

    @api.exception_handler(MultiPartParserError)
    def unreadable_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return malformed(request, exc)

    @api.exception_handler(SuspiciousOperation)  # too many fields or files, a stuck parser
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return malformed(request, exc)

    @api.exception_handler(BadRequest)
    def bad_request(request: HttpRequest, exc: BadRequest) -> HttpResponse:
        return malformed(request, exc)

    @api.exception_handler(UnreadablePostError)  # the client went away mid-upload
    def unreadable_body(request: HttpRequest, exc: UnreadablePostError) -> HttpResponse:
        return malformed(request, exc)

    def malformed(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.info(
            "api_malformed_request", extra={"path": request.path, "kind": type(exc).__name__}
        )
        return simi_error_response(api, request, MalformedRequest())

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, NotFound().as_dict(), 404)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            # ninja's "Cannot parse request body": JSON that does not decode
            # (UnicodeDecodeError and JSONDecodeError are both ValueErrors)
            error = MalformedRequest(_("The request body is not valid JSON."))
            return simi_error_response(api, request, error)
        body = {
            "code": f"http_{exc.status_code}",
            "message": _("The request could not be completed."),
        }
        return error_response(api, request, body, exc.status_code)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        if is_database_outage(exc):
            return outage_response(api, request, exc)
        logger.exception("api_unhandled_error", extra={"path": request.path})
        body = {
            "code": "internal_error",
            "message": _(
                "Something went wrong on our side. Quote the reference when you contact us."
            ),
        }
        return error_response(api, request, body, 500)
