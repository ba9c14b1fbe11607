"""The SMS/WhatsApp gateway interface and the backends that need no provider.

A backend is any class taking ``channel`` ("sms" or "whatsapp") that has
``send(to, text) -> provider message id`` and raises on failure (a
``GatewayError`` with a stable code when it knows why). Choose one with the
dotted path in ``settings.SIMI_SMS_BACKEND`` (``SIMI_WHATSAPP_BACKEND`` for
WhatsApp, defaulting to the SMS one). Phone numbers never reach a log or a file
in clear: they are masked to their last three digits.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("simi.notifications")

CONSOLE = "simi.notifications.sms.ConsoleSmsBackend"
FILE = "simi.notifications.sms.FileSmsBackend"
LOCMEM = "simi.notifications.sms.LocmemSmsBackend"


class SmsBackend(Protocol):
    def send(self, to: str, text: str) -> str:
        """Hand ``text`` to the gateway for ``to`` (E.164); return its message id."""


class GatewayError(Exception):
    """A send the gateway refused; ``code`` is stored on the notification.

    ``permanent`` errors (no such number, no destination) are not retried.
    """

    def __init__(self, code: str, message: str = "", *, permanent: bool = False) -> None:
        super().__init__(message or code)
        self.code = code
        self.permanent = permanent


def mask_phone(number: str) -> str:
    """'+6281234567890' -> '+62*******890': enough to tell numbers apart in a log."""
    digits = number.strip()
    if len(digits) <= 6:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]


def to_e164(number: str) -> str:
    """Numbers as people type them in Indonesia ('0812...', '62812...') in E.164."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if number.strip().startswith("+"):
        return f"+{digits}"
    if digits.startswith("0"):
        return f"+62{digits[1:]}"
    return f"+{digits}"


def default_backend_path() -> str:
    env = getattr(settings, "SIMI_ENV", "development")
    return {"development": FILE, "test": LOCMEM}.get(env, CONSOLE)


def backend_for(channel: str) -> SmsBackend:
    """The configured backend for "sms" or "whatsapp"."""
    path: str = getattr(settings, "SIMI_SMS_BACKEND", "") or default_backend_path()
    if channel == "whatsapp":
        path = getattr(settings, "SIMI_WHATSAPP_BACKEND", "") or path
    backend: SmsBackend = import_string(path)(channel=channel)
    return backend


def _message_id() -> str:
    return f"local-{uuid.uuid4().hex}"


# A one-time code (six digits standing alone) is never written to a log.
_CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


class ConsoleSmsBackend:
    """Logs one line per message (masked number, one-time codes hidden);
    sends nothing."""

    def __init__(self, *, channel: str = "sms") -> None:
        self.channel = channel

    def send(self, to: str, text: str) -> str:
        message_id = _message_id()
        logger.info(
            "%s to %s: %s",
            self.channel,
            mask_phone(to),
            _CODE.sub("******", text),
            extra={"channel": self.channel, "message_id": message_id},
        )
        return message_id


class FileSmsBackend:
    """Appends one JSON line per message to VAR_DIR/sms-outbox/<date>.jsonl."""

    def __init__(self, *, channel: str = "sms") -> None:
        self.channel = channel

    def send(self, to: str, text: str) -> str:
        message_id = _message_id()
        folder = settings.VAR_DIR / "sms-outbox"
        folder.mkdir(parents=True, exist_ok=True)
        now = timezone.now()
        line = {
            "id": message_id,
            "at": now.isoformat(),
            "channel": self.channel,
            "to": mask_phone(to),
            "text": text,
        }
        with (folder / f"{now:%Y-%m-%d}.jsonl").open("a", encoding="utf-8") as file:
            file.write(json.dumps(line, ensure_ascii=False) + "\n")
        return message_id


@dataclass(frozen=True)
class SmsMessage:
    channel: str
    to: str
    text: str
    message_id: str


# Tests read (and clear) this list, like django.core.mail.outbox.
outbox: list[SmsMessage] = []
_outbox_lock = threading.Lock()


class LocmemSmsBackend:
    """Keeps messages in ``simi.notifications.sms.outbox`` (tests)."""

    def __init__(self, *, channel: str = "sms") -> None:
        self.channel = channel

    def send(self, to: str, text: str) -> str:
        message_id = _message_id()
        with _outbox_lock:
            outbox.append(SmsMessage(self.channel, to, text, message_id))
        return message_id
