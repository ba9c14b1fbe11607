"""Idempotent POSTs: a retried request with the same ``Idempotency-Key``
gets the stored answer instead of doing the work twice.

Rules (docs/applications.md):

- The header is optional; when sent it is 1..100 visible ASCII characters.
- Keys belong to the signed-in account; records are kept 24 hours.
- Same key, same method + path + canonical JSON body: the stored status and
  body are returned and the handler does not run again.
- Same key, different request: 422 ``idempotency_key_reused``.
- Only successful answers are stored: a failed request changed nothing, so
  retrying it with the same key runs it again.
- Two identical requests at once: the first claims the key and runs; the
  other waits on the claim and returns the winner's answer (or 409
  ``idempotency_in_progress`` if it cannot be read yet); it never reaches
  the handler's own checks.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.core.actors import Someone
from simi.core.codes import CommonCode
from simi.core.errors import Conflict, ValidationFailed
from simi.core.models import IdempotencyRecord
from simi.core.retry import run_again

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,100}")
RETENTION = timedelta(hours=24)

Answer = tuple[int, dict[str, Any]]


class _KeyTaken(Exception):
    """A concurrent request stored its answer under the same key first."""


def idempotency_key(request: HttpRequest) -> str | None:
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    if not KEY_PATTERN.fullmatch(raw):
        raise ValidationFailed.for_field(
            HEADER,
            _("An Idempotency-Key has 1 to 100 visible characters, without spaces."),
            code=CommonCode.IDEMPOTENCY_KEY_INVALID,
        )
    return raw


def request_fingerprint(request: HttpRequest) -> str:
    """SHA-256 of method, path and the body with JSON keys sorted."""
    raw = request.body or b""
    try:
        body = json.dumps(
            json.loads(raw), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except ValueError:
        body = raw
    digest = hashlib.sha256()
    digest.update(request.method.encode() if request.method else b"")
    digest.update(b"\n" + request.path.encode() + b"\n")
    digest.update(body)
    return digest.hexdigest()


def _find(owner: Someone, key: str) -> IdempotencyRecord | None:
    return (
        IdempotencyRecord.objects.filter(
            owner_id=owner.pk, key=key, created_at__gte=timezone.now() - RETENTION
        )
        .order_by()
        .first()
    )


def _replay(record: IdempotencyRecord, fingerprint: str) -> Answer:
    if record.fingerprint != fingerprint:
        raise ValidationFailed.for_field(
            HEADER,
            _("This Idempotency-Key was already used for a different request."),
            code=CommonCode.IDEMPOTENCY_KEY_REUSED,
        )
    return record.response_status, record.response_body


def idempotent(request: HttpRequest, owner: Someone, handler: Callable[[], Answer]) -> Answer:
    """Run ``handler`` at most once per (owner, key); returns (status, JSON body).
    ``owner`` is the signed-in caller (the operations check that first).

    The key is claimed before the handler runs, so a duplicate waits on the
    claim (the unique index) instead of reaching the handler's state checks
    and being told, say, that its draft is no longer a draft. A deadlock or
    serialization failure runs the whole transaction again (``run_again``).
    """
    key = idempotency_key(request)
    if key is None:
        return run_again(handler, operation=request_operation(request))
    return run_once(
        owner=owner,
        key=key,
        fingerprint=request_fingerprint(request),
        handler=handler,
        operation=request_operation(request),
    )


def run_once(
    *,
    owner: Someone,
    key: str,
    fingerprint: str,
    handler: Callable[[], Answer],
    operation: str,
) -> Answer:
    """The stored answer of (owner, key), or ``handler``'s, stored under it.
    ``idempotent`` calls it with the header's key; ``simi.core.formkeys`` with
    a page's one-time form key."""
    try:
        return run_again(
            lambda: _claim_and_run(owner, key, fingerprint, handler), operation=operation
        )
    except _KeyTaken:
        stored = _find(owner, key)
        if stored is None:
            raise Conflict(
                _("The same request is still being processed; try again shortly."),
                code=CommonCode.IDEMPOTENCY_IN_PROGRESS,
            ) from None
        return _replay(stored, fingerprint)


def _claim_and_run(
    owner: Someone, key: str, fingerprint: str, handler: Callable[[], Answer]
) -> Answer:
    with transaction.atomic():
        stored = _find(owner, key)
        if stored is not None:
            return _replay(stored, fingerprint)
        # An expired record of the same key makes room for the new one.
        purge_candidates().filter(owner_id=owner.pk, key=key).delete()
        try:
            with transaction.atomic():
                # The claim: a concurrent duplicate's insert waits here until
                # this transaction ends, then fails and replays the answer.
                # Nobody sees the placeholder: the answer replaces it before
                # COMMIT.
                record = IdempotencyRecord.objects.create(
                    owner_id=owner.pk,
                    key=key,
                    fingerprint=fingerprint,
                    response_status=0,
                    response_body={},
                )
        except IntegrityError:
            raise _KeyTaken from None
        status, body = handler()
        record.response_status = status
        record.response_body = body
        record.save(update_fields=["response_status", "response_body"])
        return status, body


def request_operation(request: HttpRequest) -> str:
    """A fixed label for metrics: the route pattern, never the ids in the path."""
    match = getattr(request, "resolver_match", None)
    route = getattr(match, "route", "") if match is not None else ""
    return f"{request.method} {route or 'api'}"


def purge_candidates() -> QuerySet[IdempotencyRecord]:
    """Records older than 24 hours: nobody may replay them any more."""
    return IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - RETENTION)


def purge_expired() -> int:
    deleted, _counts = purge_candidates().delete()
    return deleted
