"""One-time form keys: a double tap on a web form's button does the work once.

The API has the ``Idempotency-Key`` header; a browser form has nothing of the
kind, so a second tap on "Save draft" made a second draft. A page that
renders such a form puts a random key in a hidden field (``FIELD``, made by
``form_key``); the view runs its work through ``once``, which stores where
the work led (the address to redirect to) under that key, in the same table
and with the same rules as the API's keys (``simi.core.idempotency``):

- a second POST with the same key does not run the work again: it is sent
  where the first one went (the draft made by the first tap);
- two POSTs at once: the first claims the key, the other waits for it and is
  sent to the same place;
- only work that succeeded is stored: a refused POST (a field error) may be
  sent again with the same key;
- the key belongs to the signed-in account and to the form's address, and is
  kept 24 hours; a POST without a key (or with a malformed one) runs as
  before, unprotected.

Keys are stored prefixed (``form:``) so they never meet an API client's own.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable

from django.http import HttpRequest

from simi.core.actors import Someone
from simi.core.idempotency import request_operation, run_again, run_once

FIELD = "form_key"
PREFIX = "form:"
_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def new_form_key() -> str:
    return secrets.token_urlsafe(24)


def posted_form_key(request: HttpRequest) -> str | None:
    """The form key the POST carries, or None when it has none that is valid."""
    raw = request.POST.get(FIELD, "")
    return raw if _PATTERN.fullmatch(raw) else None


def form_key(request: HttpRequest) -> str:
    """The key to render in the form: the posted one when the page is shown
    again after a refused POST (nothing was stored under it), else a new one."""
    if request.method == "POST":
        return posted_form_key(request) or new_form_key()
    return new_form_key()


def _fingerprint(request: HttpRequest) -> str:
    # The form's address only, not its fields: a second tap, whatever it
    # carries, lands where the first one did.
    return hashlib.sha256(f"form\n{request.path}".encode()).hexdigest()


def once(request: HttpRequest, owner: Someone, handler: Callable[[], str]) -> str:
    """Run ``handler`` (which returns the address to go to next) at most once
    per form key of ``owner``; returns that address, stored or new."""
    key = posted_form_key(request)
    operation = request_operation(request)
    if key is None:
        return run_again(handler, operation=operation)

    def work() -> tuple[int, dict[str, str]]:
        return 303, {"location": handler()}

    _status, body = run_once(
        owner=owner,
        key=PREFIX + key,
        fingerprint=_fingerprint(request),
        handler=work,
        operation=operation,
    )
    return str(body["location"])
