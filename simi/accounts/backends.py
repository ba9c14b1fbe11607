"""Authentication backend: sign-in by e-mail address or verified mobile
number, with SIMI's extra refusals."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from simi.accounts.contact import sign_in_account
from simi.accounts.models import User
from simi.accounts.passwords import DEMO_PASSWORD


class SimiAuthBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        email = sign_in_account(username or kwargs.get("email") or "")
        if not email or not password:
            return None
        if "@" not in email:
            # A number no account verified: the same cost as a wrong password.
            User().set_password(password)
            return None
        if settings.PRODUCTION and password == DEMO_PASSWORD:
            # Demo accounts must never open a production system.
            User().set_password(password)  # same cost as a real check
            return None
        user = super().authenticate(request, username=email, password=password)
        if user is None or not isinstance(user, User):
            return None
        if settings.PRODUCTION and user.is_demo:
            return None
        return user
