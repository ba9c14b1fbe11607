"""API operations declare what they need in one place: their route.

Every router is a ``ScopedRouter``; its ``get``/``post``/``put``/``patch``/
``delete`` take a required keyword ``scope``, so an operation cannot be
written without saying who may call it::

    @router.post("/office/applications/{id}/approve", scope="applications:decide")
    @router.post("/documents/{id}/revoke", scope="documents:revoke", fresh_factor=True)
    @router.get("/services", scope=PUBLIC)

- ``scope=<capability>``: the caller must be signed in (session or API token),
  and a token must carry that scope (``scope_missing`` names the one it
  lacks); ``scope=(a, b)``: any one of them (an operation that officers who
  process and supervisors who decide may both use). What the caller's role
  and office allow is the service's or the selector's decision, as before;
  the scope bounds what a token can do.
- ``scope=PUBLIC``: no sign-in (``auth=None``); rate limits are the
  operation's own.
- ``fresh_factor=True``: a sensitive action. A browser session needs a
  second-factor code from the last few minutes, an API token a current code in
  the ``X-SIMI-OTP`` header (checked and spent like one typed at sign-in).
  The check lives with the second factor, above core, and is named in
  ``settings.SIMI_FRESH_FACTOR_CHECK``.

The declared scope also goes into the OpenAPI document (``x-simi-scope`` and
a line of the description), and ``docs/scopes.md`` lists every scope with the
operations that need it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, Final, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.operation import Operation

from simi.core.capabilities import Capability
from simi.core.hooks import named
from simi.core.scopes import require_any_scope, require_scope


class _Public:
    def __repr__(self) -> str:
        return "PUBLIC"


PUBLIC: Final = _Public()
"""The scope of an operation anyone may call without signing in."""

Scope = Capability | tuple[Capability, ...] | _Public
"""One capability, any one of several (a tuple), or PUBLIC."""
View = TypeVar("View", bound=Callable[..., Any])

SCOPE_KEY = "x-simi-scope"
FRESH_FACTOR_KEY = "x-simi-fresh-factor"
OTP_HEADER = "X-SIMI-OTP"


def _fresh_factor_check(request: HttpRequest) -> None:
    named(settings.SIMI_FRESH_FACTOR_CHECK)(request)


class ScopedOperation(Operation):
    """A ninja operation that checks its declared scope right after
    authentication, before its input is parsed: a token without the scope is
    refused whatever it sends, and no body is read on its behalf."""

    simi_scope: Scope
    simi_fresh_factor: bool

    def _run_checks(self, request: HttpRequest) -> HttpResponse | None:
        refused = super()._run_checks(request)  # authentication, then throttles
        if refused is not None:
            return refused
        try:
            if isinstance(self.simi_scope, tuple):
                require_any_scope(request, self.simi_scope)
            elif not isinstance(self.simi_scope, _Public):
                require_scope(request, self.simi_scope)
            if self.simi_fresh_factor:
                _fresh_factor_check(request)
        except Exception as exc:  # mapped to the error envelope like any other
            return self.api.on_exception(request, exc)
        return None

    def clone(self) -> ScopedOperation:
        cloned = super().clone()
        assert isinstance(cloned, ScopedOperation)
        cloned.simi_scope = self.simi_scope
        cloned.simi_fresh_factor = self.simi_fresh_factor
        return cloned


def _documented(
    scope: Scope, fresh_factor: bool, description: str | None, extra: dict[str, Any] | None
) -> tuple[str | None, dict[str, Any]]:
    extra = dict(extra or {})
    if isinstance(scope, _Public):
        extra[SCOPE_KEY] = None
        note = "Public: no sign-in needed."
    elif isinstance(scope, tuple):
        extra[SCOPE_KEY] = list(scope)
        names = " or ".join(f"`{name}`" for name in scope)
        note = f"Scope: {names} (an API token must carry one of them)."
    else:
        extra[SCOPE_KEY] = scope
        note = f"Scope: `{scope}` (an API token must carry it)."
    if fresh_factor:
        extra[FRESH_FACTOR_KEY] = True
        note += (
            " Sensitive: a browser session needs a second-factor code from the last few"
            f" minutes; an API token sends a current code in `{OTP_HEADER}`."
        )
    return (f"{note}\n\n{description}" if description else None), extra


def _doc(view: Callable[..., Any]) -> str | None:
    return inspect.cleandoc(view.__doc__) if view.__doc__ else None


class ScopedRouter(Router):
    """A ninja router whose operations must each declare their scope."""

    def _operation(
        self,
        methods: list[str],
        path: str,
        scope: Scope,
        fresh_factor: bool,
        kwargs: dict[str, Any],
    ) -> Callable[[View], View]:
        if isinstance(scope, _Public):
            if fresh_factor:
                raise TypeError(f"{path}: a public operation has no second factor to check")
            kwargs.setdefault("auth", None)

        def decorator(view: View) -> View:
            description, extra = _documented(
                scope, fresh_factor, kwargs.pop("description", None) or _doc(view), None
            )
            extra.update(kwargs.pop("openapi_extra", None) or {})
            self.add_api_operation(
                path, methods, view, description=description, openapi_extra=extra, **kwargs
            )
            operation = view._ninja_operation  # type: ignore[attr-defined]
            if type(operation) is not Operation:
                raise TypeError(f"{path}: SIMI's API operations are synchronous")
            operation.__class__ = ScopedOperation
            assert isinstance(operation, ScopedOperation)
            operation.simi_scope = scope
            operation.simi_fresh_factor = fresh_factor
            return view

        return decorator

    def get(  # type: ignore[override]
        self, path: str, *, scope: Scope, fresh_factor: bool = False, **kwargs: Any
    ) -> Callable[[View], View]:
        return self._operation(["GET"], path, scope, fresh_factor, kwargs)

    def post(  # type: ignore[override]
        self, path: str, *, scope: Scope, fresh_factor: bool = False, **kwargs: Any
    ) -> Callable[[View], View]:
        return self._operation(["POST"], path, scope, fresh_factor, kwargs)

    def put(  # type: ignore[override]
        self, path: str, *, scope: Scope, fresh_factor: bool = False, **kwargs: Any
    ) -> Callable[[View], View]:
        return self._operation(["PUT"], path, scope, fresh_factor, kwargs)

    def patch(  # type: ignore[override]
        self, path: str, *, scope: Scope, fresh_factor: bool = False, **kwargs: Any
    ) -> Callable[[View], View]:
        return self._operation(["PATCH"], path, scope, fresh_factor, kwargs)

    def delete(  # type: ignore[override]
        self, path: str, *, scope: Scope, fresh_factor: bool = False, **kwargs: Any
    ) -> Callable[[View], View]:
        return self._operation(["DELETE"], path, scope, fresh_factor, kwargs)
