"""API authentication: bearer tokens (apps, partners) or the web session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from simi.accounts.services import api_token_authenticate


class BearerToken(HttpBearer):
    openapi_description = "A SIMI API token: `Authorization: Bearer simi_<prefix>_<secret>`."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        request.api_token = api_token  # type: ignore[attr-defined]
        request.user = api_token.user
        return api_token.user


class Session(SessionAuth):
    """The browser session; unsafe methods need the CSRF token."""

    openapi_description = "The SIMI web session cookie (browser clients)."


API_AUTH = [BearerToken(), Session(csrf=True)]
