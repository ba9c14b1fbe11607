"""Page guards of oversight: who may open a back-office or partner page.

The rules are ``access.py``'s; these turn a refusal into Django's 403 page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from simi.accounts.actors import Actor
from simi.accounts.decorators import staff_required
from simi.oversight.access import can_manage_devices, can_read, can_report, can_write

View = Callable[..., Any]


def _allowed_if(check: Callable[[Actor], bool], view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not check(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def reader_required(view: View) -> View:
    """Staff with ``oversight:read``."""
    return staff_required(_allowed_if(can_read, view))


def writer_required(view: View) -> View:
    """Staff with ``oversight:write``."""
    return staff_required(_allowed_if(can_write, view))


def manager_required(view: View) -> View:
    """Staff who register devices and change their keys."""
    return staff_required(_allowed_if(can_manage_devices, view))


def partner_required(view: View) -> View:
    """Lodging partners; their pages are never cached."""
    return never_cache(login_required(_allowed_if(can_report, view)))
