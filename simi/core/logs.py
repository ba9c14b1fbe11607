"""Structured logging: one JSON object per line, every line with a request id.

Nothing here reads request bodies, query strings or user attributes, so personal
data cannot reach the log through these helpers; callers log ids, not names.

Paths are logged without their query string and with every value a caller put
into them replaced by ``log_token(value)`` (``path_for_log``): tracking,
billing and booking codes, verification tokens, NIKs. Only public ids (UUIDs),
numbers and the vocabulary SIMI itself puts into paths (``LOGGED_PATH_PARAMETERS``)
stay as they are. ``manage.py log_token <value>`` prints a value's token, so
support can still find the requests of one tracking code.
"""

from __future__ import annotations

import contextvars
import functools
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.exceptions import Resolver404

from simi.core.crypto import blind_index

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}
# Django attaches the request object (its repr carries the query string, which
# may hold personal data) and the raw socket; neither is ever written.
_NEVER_LOGGED = {"request", "server_time"}


# Path parameters whose values SIMI chooses (a step, a letter's audience, a
# language, the admin's app and model names): logged in clear. Any other value
# in a path is the caller's and is logged as a token.
LOGGED_PATH_PARAMETERS = frozenset(
    {"action", "audience", "language", "outcome", "app_label", "model_name"}
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_TOKEN_HEX = 12  # 48 bits: enough to tell the values of a day's logs apart


def log_token(value: str) -> str:
    """A value as the logs show it: the first hex digits of its HMAC-SHA256
    under the index key. The same value gives the same token (support can
    correlate), and without the key no one can test a guess against it."""
    return "~" + blind_index("log", value)[:_TOKEN_HEX]


def _logged_as_is(name: str | None, value: object) -> bool:
    if name in LOGGED_PATH_PARAMETERS or isinstance(value, int):
        return True
    return not isinstance(value, str) or bool(_UUID.fullmatch(value))


def _route_words(patterns: list[URLPattern | URLResolver]) -> set[str]:
    words: set[str] = set()
    for entry in patterns:
        for segment in re.split(r"/", str(entry.pattern).strip("^$")):
            if re.fullmatch(r"[A-Za-z0-9_.-]+", segment):
                words.add(segment)
        if isinstance(entry, URLResolver):
            words |= _route_words(entry.url_patterns)
    return words


@functools.cache
def route_words() -> frozenset[str]:
    """Every literal path segment of SIMI's URL patterns."""
    return frozenset(_route_words(get_resolver().url_patterns))


def path_for_log(request: HttpRequest) -> str:
    """``request.path`` with every caller-chosen value replaced by its token.

    A path that matches a URL pattern hides the values of its parameters
    (except UUIDs, numbers and ``LOGGED_PATH_PARAMETERS``); one that matches
    none (a 404) keeps only the segments that are words of SIMI's own routes.
    """
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = get_resolver().resolve(request.path_info)
        except Resolver404:
            words = route_words()
            return "/".join(
                part if not part or part in words else log_token(part) for part in path.split("/")
            )
    hidden = [
        str(value)
        for name, value in [*match.kwargs.items(), *((None, arg) for arg in match.args)]
        if not _logged_as_is(name, value)
    ]
    for value in sorted(set(hidden), key=len, reverse=True):
        if not value:
            continue
        parts = path.split("/")
        if value in parts:
            path = "/".join(log_token(value) if part == value else part for part in parts)
        else:  # a value that spans segments (a path converter)
            path = path.replace(value, log_token(value))
    return path


class RedactRequestPaths(logging.Filter):
    """Django's own request log lines (a 500's "Internal Server Error: /path",
    a CSRF refusal) carry the path; they get the logged form instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        request: Any = getattr(record, "request", None)
        if isinstance(request, HttpRequest) and isinstance(record.args, tuple):
            raw = request.path
            if raw in record.args:
                logged = path_for_log(request)
                record.args = tuple(logged if arg == raw else arg for arg in record.args)
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id_var.get()),
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key in _STANDARD_ATTRS or key in _NEVER_LOGGED or key.startswith("_"):
                continue
            if value is None or isinstance(value, str | int | float | bool):
                entry[key] = value
            else:
                entry[key] = str(value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
