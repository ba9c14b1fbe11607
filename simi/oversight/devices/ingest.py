"""Signed event batches from devices: ``POST /api/v1/devices/events``.

Checked in this order; each failure answers with the error envelope and
stores nothing:

1. headers ``X-Simi-Device`` (code), ``X-Simi-Timestamp`` (unix seconds),
   ``X-Simi-Nonce`` (16-64 visible characters) and ``X-Simi-Signature``
   present; the device known and active; the timestamp within 5 minutes of
   our clock (401);
2. the body at most 5 MB (413);
3. the signature over ``f"{timestamp}\\n{nonce}\\n"`` + the raw body: hex or
   base64 of HMAC-SHA256 with the device's secret, or of an Ed25519
   signature by the device's key (401);
4. the nonce not used by this device within the last 10 minutes (401
   ``nonce_replayed``);
5. the body: JSON ``{"events": [...]}`` with at most 5,000 events, each
   valid (422 naming the index of the first bad one);
6. in one transaction: the nonce, the new events (an ``event_id`` the device
   sent before is counted as a duplicate, not stored again), the device's
   ``last_seen_at``, the end of its outage if it had one.

Passport numbers are stored only as their blind index, seals only as their
verdict and document id: the ``device_event`` table holds no personal data.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.audit.services import audit_record
from simi.core.codes import CommonCode, ErrorCode
from simi.core.errors import NotAuthenticated, SimiError, ValidationFailed
from simi.oversight.codes import Action, Code
from simi.oversight.devices.keys import MAX_SKEW, signature_valid, signed_message
from simi.oversight.devices.services import device_heard_from
from simi.oversight.models import Device, DeviceEvent, DeviceEventKind, DeviceNonce
from simi.oversight.seals import verify_seal
from simi.people.services import passport_index

DEVICE_HEADER = "X-Simi-Device"
TIMESTAMP_HEADER = "X-Simi-Timestamp"
NONCE_HEADER = "X-Simi-Nonce"
SIGNATURE_HEADER = "X-Simi-Signature"
MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_EVENTS = 5000
MAX_PAYLOAD_BYTES = 2048
MAX_SEAL_CHARS = 2000
# Devices buffer while their line is down; older events are refused.
MAX_EVENT_AGE = timedelta(days=30)
FUTURE_TOLERANCE = timedelta(minutes=5)
EVENT_FIELDS = frozenset(
    {"event_id", "kind", "occurred_at", "payload", "passport_number", "nationality", "seal"}
)
# A payload is telemetry: personal data goes in passport_number (indexed) or nowhere.
PERSONAL_KEYS = frozenset(
    {
        "passport",
        "passport_number",
        "passport_no",
        "document_number",
        "name",
        "full_name",
        "nik",
        "birth_date",
        "date_of_birth",
        "address",
        "phone",
        "email",
        "mrz",
    }
)
_DEVICE_CODE = re.compile(r"[a-z0-9][a-z0-9-]{2,39}")
_NONCE = re.compile(r"[\x21-\x7e]{16,64}")
_EVENT_ID = re.compile(r"[\x21-\x7e]{1,64}")
_CHUNK = 900  # ids per IN (...) look-up; below SQLite's parameter limit
# Enum .values builds a new list on every access: too slow for 5,000 events.
EVENT_KINDS = frozenset(DeviceEventKind.values)


class PayloadTooLarge(SimiError):
    status = 413
    code = CommonCode.BODY_TOO_LARGE
    default_message = _("The request body is larger than 5 MB. Send smaller batches.")


def _refused(code: ErrorCode, message: str | Promise | None = None) -> NotAuthenticated:
    return NotAuthenticated(
        message or _("The request is not signed by a registered, active device."), code=code
    )


# --- 1-4: who is calling -------------------------------------------------------


def authenticate(
    *,
    device_code: str,
    timestamp: str,
    nonce: str,
    signature: str,
    body: bytes,
    now: datetime,
    key_id: str | None = None,
) -> Device:
    """The device that signed ``body``, or NotAuthenticated (401)."""
    device_code, timestamp = (device_code or "").strip(), (timestamp or "").strip()
    nonce, signature = (nonce or "").strip(), (signature or "").strip()
    if not (device_code and timestamp and nonce and signature):
        raise _refused(CommonCode.SIGNATURE_MISSING)
    device = (
        Device.objects.filter(code=device_code).first()
        if _DEVICE_CODE.fullmatch(device_code)
        else None
    )
    if device is None or device.status != Device.Status.ACTIVE:
        raise _refused(Code.UNKNOWN_DEVICE)
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        raise _refused(CommonCode.TIMESTAMP_INVALID)
    if abs(now.timestamp() - int(timestamp)) > MAX_SKEW.total_seconds():
        raise _refused(
            CommonCode.TIMESTAMP_OUT_OF_WINDOW,
            _(
                "The timestamp is more than 5 minutes away from our clock. "
                "Check the device's clock."
            ),
        )
    if not _NONCE.fullmatch(nonce):
        raise _refused(Code.NONCE_INVALID, _("The nonce must be 16 to 64 visible characters."))
    if len(body) > MAX_BODY_BYTES:
        raise PayloadTooLarge()
    if key_id and key_id.strip() != device.key_id:
        raise _refused(Code.KEY_ROTATED, _("This key was replaced; use the device's current key."))
    if not signature_valid(device, signed_message(timestamp, nonce, body), signature):
        raise _refused(CommonCode.SIGNATURE_INVALID)
    if DeviceNonce.objects.filter(device=device, nonce=nonce).exists():
        raise _replayed()
    return device


def _replayed() -> NotAuthenticated:
    return _refused(Code.NONCE_REPLAYED, _("This nonce was already used: the request is a replay."))


# --- 5: the events -------------------------------------------------------------


@dataclass(frozen=True)
class CleanEvent:
    event_id: str
    kind: str
    occurred_at: datetime
    payload: dict[str, Any]
    passport_index: str
    seal_verdict: str
    document_id: uuid.UUID | None


class _BadEvent(Exception):
    def __init__(self, field: str, message: str | Promise) -> None:
        self.field, self.message = field, message


def _bad_event(index: int, field: str, message: str | Promise) -> ValidationFailed:
    name = f"events.{index}.{field}" if field else f"events.{index}"
    return ValidationFailed(
        _("Event %(index)s (counting from 0) is not valid; nothing in the batch was stored.")
        % {"index": index},
        code=Code.EVENT_INVALID,
        fields={name: [message]},
    )


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield str(key).lower()
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def _occurred_at(raw: Any, now: datetime) -> datetime:
    if not isinstance(raw, str) or len(raw) > 40:
        raise _BadEvent(
            "occurred_at", _("Give the time in ISO 8601, e.g. 2026-11-20T14:30:00+07:00.")
        )
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise _BadEvent(
            "occurred_at", _("Give the time in ISO 8601, e.g. 2026-11-20T14:30:00+07:00.")
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now + FUTURE_TOLERANCE:
        raise _BadEvent("occurred_at", _("The event is in the future; check the device's clock."))
    if moment < now - MAX_EVENT_AGE:
        raise _BadEvent("occurred_at", _("The event is older than 30 days."))
    return moment


def _payload(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _BadEvent("payload", _("The payload must be a JSON object."))
    if len(json.dumps(raw, separators=(",", ":"), ensure_ascii=False)) > MAX_PAYLOAD_BYTES:
        raise _BadEvent("payload", _("The payload is larger than 2 KB."))
    if not PERSONAL_KEYS.isdisjoint(_keys(raw)):
        raise _BadEvent(
            "payload",
            _(
                "Personal data does not go in the payload; "
                "send a passport number in passport_number."
            ),
        )
    return raw


def _passport(item: dict[str, Any]) -> str:
    number, nationality = item.get("passport_number"), item.get("nationality")
    if number is None:
        return ""
    if not isinstance(number, str) or not isinstance(nationality, str):
        raise _BadEvent(
            "passport_number", _("Send passport_number with nationality (three letters), as text.")
        )
    try:
        return passport_index(number, nationality)
    except ValidationFailed as exc:
        field, messages = next(iter(exc.fields.items()), ("passport_number", [exc.message]))
        raise _BadEvent(field, messages[0]) from None


def _seal(raw: Any) -> tuple[str, uuid.UUID | None]:
    if raw is None:
        return "", None
    if not isinstance(raw, str) or not raw or len(raw) > MAX_SEAL_CHARS:
        raise _BadEvent("seal", _("The seal is the text of the permit's QR code."))
    verdict, document_id, _reason = verify_seal(raw)
    return verdict, document_id


def _event(item: Any, now: datetime) -> CleanEvent:
    if not isinstance(item, dict):
        raise _BadEvent("", _("Each event is a JSON object."))
    unknown = set(item) - EVENT_FIELDS
    if unknown:
        raise _BadEvent(sorted(unknown)[0], _("This field is not part of an event."))
    event_id = item.get("event_id")
    if not isinstance(event_id, str) or not _EVENT_ID.fullmatch(event_id):
        raise _BadEvent("event_id", _("The event id is 1 to 64 visible characters."))
    kind = item.get("kind")
    if kind not in EVENT_KINDS:
        raise _BadEvent(
            "kind",
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(DeviceEventKind.values)},
        )
    occurred_at = _occurred_at(item.get("occurred_at"), now)
    payload = _payload(item.get("payload"))
    index = _passport(item)
    verdict, document_id = _seal(item.get("seal"))
    return CleanEvent(event_id, kind, occurred_at, payload, index, verdict, document_id)


def parse_events(body: bytes, *, now: datetime) -> list[CleanEvent]:
    """Every event of the batch, or ValidationFailed naming the first bad one."""
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed.for_field(
            "events", _("The body is not valid JSON."), code=Code.BODY_INVALID
        ) from None
    if not isinstance(document, dict) or set(document) != {"events"}:
        raise ValidationFailed.for_field(
            "events", _('The body is {"events": [...]}.'), code=Code.BODY_INVALID
        )
    items = document["events"]
    if not isinstance(items, list):
        raise ValidationFailed.for_field("events", _("Enter a list."), code=Code.BODY_INVALID)
    if len(items) > MAX_EVENTS:
        raise ValidationFailed.for_field(
            "events",
            _("At most %(max)s events per batch.") % {"max": MAX_EVENTS},
            code=Code.BATCH_TOO_LARGE,
        )
    events: list[CleanEvent] = []
    for index, item in enumerate(items):
        try:
            events.append(_event(item, now))
        except _BadEvent as bad:
            raise _bad_event(index, bad.field, bad.message) from None
    return events


# --- 6: storing ----------------------------------------------------------------


@dataclass(frozen=True)
class IngestResult:
    accepted: int
    duplicates: int
    received_at: datetime


def stored_event_ids(device: Device, ids: list[str]) -> set[str]:
    """The ids among ``ids`` this device has sent before (looked up in chunks)."""
    found: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        found.update(
            DeviceEvent.objects.filter(
                device=device, event_id__in=ids[start : start + _CHUNK]
            ).values_list("event_id", flat=True)
        )
    return found


@transaction.atomic
def events_store(
    *, device: Device, nonce: str, events: list[CleanEvent], now: datetime
) -> IngestResult:
    """The nonce and the new events in one transaction; the device row is
    locked first, so batches of one device are counted one after another."""
    Device.objects.select_for_update(no_key=True).filter(pk=device.pk).first()
    try:
        with transaction.atomic():
            DeviceNonce.objects.create(device=device, nonce=nonce, received_at=now)
    except IntegrityError:
        raise _replayed() from None
    stored = stored_event_ids(device, [event.event_id for event in events])
    new: list[DeviceEvent] = []
    duplicates = 0
    for event in events:
        if event.event_id in stored:
            duplicates += 1
            continue
        stored.add(event.event_id)  # the same id twice in one batch: the first counts
        new.append(
            DeviceEvent(
                device=device,
                event_id=event.event_id,
                kind=event.kind,
                occurred_at=event.occurred_at,
                received_at=now,
                payload=event.payload,
                passport_index=event.passport_index,
                seal_verdict=event.seal_verdict,
                document_id=event.document_id,
            )
        )
    DeviceEvent.objects.bulk_create(new, batch_size=1000)
    device_heard_from(device, now)
    # Heartbeats alone are not worth an audit entry (one a minute per device);
    # a batch that stored findings is.
    if any(event.kind != DeviceEventKind.HEARTBEAT for event in new):
        audit_record(
            actor=None,
            action=Action.DEVICE_EVENTS_RECEIVED,
            target=device,
            data={"device": device.code, "accepted": len(new), "duplicates": duplicates},
        )
    return IngestResult(accepted=len(new), duplicates=duplicates, received_at=now)


def events_ingest(
    *,
    device_code: str,
    timestamp: str,
    nonce: str,
    signature: str,
    body: bytes,
    now: datetime | None = None,
    key_id: str | None = None,
) -> IngestResult:
    """The whole path: authenticate, parse, store (what the endpoint runs)."""
    now = now or timezone.now()
    device = authenticate(
        device_code=device_code,
        timestamp=timestamp,
        nonce=nonce,
        signature=signature,
        body=body,
        now=now,
        key_id=key_id,
    )
    events = parse_events(body, now=now)
    return events_store(device=device, nonce=nonce.strip(), events=events, now=now)
