"""Scope checks shared by every API router."""

from __future__ import annotations

from django.http import HttpRequest

from simi.core.capabilities import Capability
from simi.core.errors import ScopeMissing


def require_scope(request: HttpRequest, scope: Capability) -> None:
    """A token carries only the scopes it was issued with; a session carries its role's.

    The role itself is checked by the selector or service behind the endpoint.
    Operations declare their scope on the route (``simi.core.routing``), which
    calls this before the view runs.
    """
    api_token = getattr(request, "api_token", None)
    if api_token is not None and scope not in api_token.scopes:
        raise ScopeMissing(scope)


def require_any_scope(request: HttpRequest, scopes: tuple[Capability, ...]) -> None:
    """Like ``require_scope``, for an operation that any one of ``scopes`` opens."""
    api_token = getattr(request, "api_token", None)
    if api_token is not None and not set(scopes) & set(api_token.scopes):
        raise ScopeMissing(" | ".join(scopes))
