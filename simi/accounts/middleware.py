"""Staff session rules: a second factor before anything, idle and absolute timeouts."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from simi.accounts.codes import Code
from simi.accounts.mfa import (
    SESSION_AUTH_AT,
    SESSION_SEEN_AT,
    has_confirmed_device,
    needs_mfa,
    session_verified,
)
from simi.core.codes import ErrorCode

# Reachable before the second factor: the factor itself, leaving, and public assets.
_EXEMPT = ("/akun/mfa/", "/akun/keluar/", "/akun/masuk/", "/static/", "/i18n/", "/healthz")
_SEEN_WRITE_EVERY = 30  # seconds; avoids a session write on every request


def _error(request: HttpRequest, status: int, code: ErrorCode, message: str) -> JsonResponse:
    body = {"code": code, "message": message, "reference": getattr(request, "request_id", "")}
    return JsonResponse({"error": body}, status=status)


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if not needs_mfa(user):
            return self.get_response(request)
        now = int(time.time())
        session = request.session
        auth_at = session.setdefault(SESSION_AUTH_AT, now)
        seen_at = session.get(SESSION_SEEN_AT, now)
        if (
            now - seen_at > settings.SIMI_STAFF_IDLE_SECONDS
            or now - auth_at > settings.SIMI_STAFF_MAX_SESSION_SECONDS
        ):
            logout(request)
            if request.path.startswith("/api/"):
                return _error(
                    request, 401, Code.SESSION_EXPIRED, _("Your session has ended. Sign in again.")
                )
            messages.info(request, _("Your session has ended for your safety. Sign in again."))
            return HttpResponseRedirect(
                f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
            )
        if now - seen_at >= _SEEN_WRITE_EVERY or SESSION_SEEN_AT not in session:
            session[SESSION_SEEN_AT] = now
        if session_verified(request) or request.path.startswith(_EXEMPT):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return _error(
                request,
                403,
                Code.MFA_REQUIRED,
                _("Confirm the code from your authenticator app first."),
            )
        target = "accounts:mfa_verify" if has_confirmed_device(user) else "accounts:mfa_setup"  # type: ignore[arg-type]
        return HttpResponseRedirect(
            f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        )
