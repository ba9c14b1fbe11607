"""How a lower domain tells higher ones that something happened, without
importing them: the handlers are named in settings.

Imports point down the layers (docs/architecture.md). When a domain must let
others react to its events (an application closed: its visit is released),
it calls ``run_hook("applications.closed", ...)``; which functions run is
listed in ``settings.SIMI_HOOKS`` under that name, in order, so the wiring of
the whole house is readable in one place. Handlers run synchronously, inside
the caller's transaction (a failure rolls the event back with it); whatever
must wait for the commit uses ``transaction.on_commit`` itself.

Registries keyed by a value (a bill's purpose, a screening subject type) use
``named()`` on their own settings dict (``SIMI_BILL_HANDLERS``,
``SIMI_SCREENING_SUBJECTS``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@cache
def named(path: str) -> Any:
    """The object a dotted path names, imported once per process."""
    try:
        return import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"{path!r} cannot be imported: {exc}") from exc


def hook_handlers(name: str) -> tuple[Callable[..., Any], ...]:
    """The callables ``settings.SIMI_HOOKS[name]`` names; none when unset."""
    hooks: dict[str, list[str]] = getattr(settings, "SIMI_HOOKS", {}) or {}
    return tuple(named(path) for path in hooks.get(name, ()))


def run_hook(name: str, **event: Any) -> list[Any]:
    """Call every handler of ``name`` with the event's keyword arguments; their
    results in order."""
    return [handler(**event) for handler in hook_handlers(name)]
