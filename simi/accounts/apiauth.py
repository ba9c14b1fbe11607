"""API authentication: bearer tokens (apps, partners) or the web session.

- A bearer token that does not work (wrong, expired, revoked, not ours) is a
  401 at once, with ``WWW-Authenticate: Bearer error="invalid_token"``: the
  client said which credential it means, and the session is not tried.
- The session counts only for a signed-in user, and only then is the CSRF
  token checked (unsafe methods). A request without a session has nothing a
  forged request could ride on, so it gets 401 ``not_authenticated``, not a
  CSRF 403; a signed-in browser without the token gets 403 ``csrf_failed``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from simi.accounts.services import api_token_authenticate
from simi.core.errors import CsrfFailed, InvalidToken


class BearerToken(HttpBearer):
    openapi_description = "A SIMI API token: `Authorization: Bearer simi_<prefix>_<secret>`."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_authenticate(token)
        if api_token is None:
            raise InvalidToken()
        request.api_token = api_token  # type: ignore[attr-defined]
        request.user = api_token.user
        return api_token.user


class Session(SessionAuth):
    """The browser session; unsafe methods need the CSRF token."""

    openapi_description = "The SIMI web session cookie (browser clients)."

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        # Hand services the User itself, as the bearer path does, not the
        # middleware's lazy wrapper (whose type() is SimpleLazyObject).
        user = getattr(request.user, "_wrapped", request.user)
        request.user = user
        return user

    def _get_key(self, request: HttpRequest) -> str | None:
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise CsrfFailed()
        return request.COOKIES.get(self.param_name)


API_AUTH = [BearerToken(), Session(csrf=True)]
