"""Scope checks shared by every API router."""

from __future__ import annotations

from django.http import HttpRequest

from simi.core.codes import CommonCode
from simi.core.errors import PermissionDenied


def require_scope(request: HttpRequest, scope: str) -> None:
    """A token carries only the scopes it was issued with; a session carries its role's.

    The role itself is checked by the selector or service behind the endpoint.
    """
    api_token = getattr(request, "api_token", None)
    if api_token is not None and scope not in api_token.scopes:
        raise PermissionDenied(code=CommonCode.SCOPE_MISSING)
