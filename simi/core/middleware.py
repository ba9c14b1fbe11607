"""Request id and access log for every request."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.middleware.gzip import GZipMiddleware

from simi.core.logs import path_for_log, request_id_var

access_log = logging.getLogger("simi.access")

# Accept an upstream id (load balancer) only if it is short and plain.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


def signed_in_user(request: HttpRequest) -> AbstractBaseUser | None:
    """The signed-in user of the request, or None. The user is loaded lazily
    from the session: when the database cannot say (it is down), the request
    counts as anonymous here instead of failing its answer on the way out."""
    user = getattr(request, "user", None)
    try:
        return user if user is not None and user.is_authenticated else None
    except DatabaseError:
        return None


def _may_be_signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    try:
        return user is not None and bool(user.is_authenticated)
    except DatabaseError:
        return True  # cannot tell: keep whatever it is out of caches


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            user = signed_in_user(request)
            # Path only: query strings may hold personal data and never reach the
            # log; values in the path (tracking codes, tokens) are logged as tokens.
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": path_for_log(request),
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)


# Every asset is served by SIMI itself; nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The camera is for scanning QR seals on SIMI's own pages; nothing else is needed.
PERMISSIONS_POLICY = "camera=(self), geolocation=(self), microphone=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """CSP and Permissions-Policy on every response; ``no-store`` on anything
    that may carry personal data (signed-in pages and authenticated API calls)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if _may_be_signed_in(request):
            response["Cache-Control"] = "no-store, private"
            response.setdefault("Pragma", "no-cache")
        return response


_MAX_INSPECTED_BODY = 1024 * 1024


def _contains_nul(pairs: Any) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in pairs)


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or _contains_nul(request.GET.lists()):
        return True
    if request.method not in {"POST", "PUT", "PATCH"}:
        return False
    if int(request.META.get("CONTENT_LENGTH") or 0) > _MAX_INSPECTED_BODY:
        return False  # large uploads are checked by their own parsers
    if request.content_type == "application/json":
        return b"\\u0000" in request.body or b"\x00" in request.body
    if request.content_type == "application/x-www-form-urlencoded":
        return _contains_nul(request.POST.lists())
    return False


class RejectNulMiddleware:
    """Refuse NUL characters in URLs, query strings and bodies with a 400.

    No field of SIMI can hold one (PostgreSQL text cannot store it), so the
    only senders are fuzzers and attacks; answering at the edge keeps every
    form and endpoint from failing deep inside with a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            from simi.core.views import bad_request

            return bad_request(request)
        return self.get_response(request)


class RejectUnreadableFormMiddleware:
    """Answer a multipart form that cannot be parsed with the 400 page, not a 500.

    Django raises ``MultiPartParserError`` from ``request.POST`` (no or a bad
    boundary, a base64 part that does not decode, part headers over the
    limit), and the CSRF check reads ``request.POST`` before any view runs,
    where no view could catch it. Parsing here costs nothing extra: every
    page POST is parsed by that check anyway. The API answers the same error
    in its own envelope (``simi.core.apierrors``), so its paths pass through.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and request.content_type == "multipart/form-data"
            and not request.path.startswith("/api/")
        ):
            try:
                request.POST  # noqa: B018 - parsing is the point
            except MultiPartParserError:
                from simi.core.views import bad_request

                return bad_request(request)
        return self.get_response(request)


# Types worth compressing: markup, styles, scripts and data. PDFs, images and
# archives are compressed already; gzip would spend CPU to save nothing.
_COMPRESSIBLE = re.compile(
    r"^(text/|application/(json|javascript|xml|problem\+json|manifest\+json)|image/svg\+xml)"
)


class CompressTextMiddleware(GZipMiddleware):
    """Django's gzip (with its BREACH mitigation: random bytes in the gzip
    header, masked CSRF tokens) for text answers only, so a page's HTML
    reaches a slow mobile line compressed from ``make run`` and from
    production alike; WhiteNoise sends static files precompressed."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not _COMPRESSIBLE.match(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)
