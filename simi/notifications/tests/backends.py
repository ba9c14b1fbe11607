"""Gateways that fail on purpose, to test retries (no mocks of the database)."""

from __future__ import annotations

from typing import Any

from simi.notifications.sms import GatewayError, LocmemSmsBackend

failures_left = {"sms": 0, "email": 0}


class FlakySmsBackend(LocmemSmsBackend):
    def send(self, to: str, text: str) -> str:
        if failures_left["sms"] > 0:
            failures_left["sms"] -= 1
            raise GatewayError("gateway_timeout")
        return super().send(to, text)


class FlakyEmailBackend:
    """Django e-mail backend that refuses while failures_left["email"] > 0."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.core.mail.backends.locmem import EmailBackend

        self.inner = EmailBackend(*args, **kwargs)

    def send_messages(self, messages: Any) -> int:
        if failures_left["email"] > 0:
            failures_left["email"] -= 1
            raise ConnectionRefusedError("smtp down")
        return self.inner.send_messages(messages)
