"""The device registry: CCTV analytics units, autogates and kiosks, each with
its own key, and the offline alert when one falls silent.

A device signs every request (see ``ingest.py``) with either an HMAC-SHA256
secret that SIMI makes and shows once, or an Ed25519 key pair whose public
half (raw 32 bytes, base64) is registered here. Registration, re-keying and
disabling need ``oversight:write`` or a supervisor (``oversight:decide``) of
the device's office; everyone with ``oversight:read`` sees the office's
devices. Audit data holds codes and ids, never a key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.accounts.scoping import scope_by_office, visible_office_ids
from simi.audit.services import audit_record
from simi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from simi.core.models import Office, Region
from simi.oversight.models import Device, DeviceAlert, DeviceKeyKind, DeviceKind, DeviceNonce
from simi.oversight.services import can_read, require_read

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{2,39}$")
MAX_INTERVAL_MINUTES = 24 * 60
# Nonces are kept twice the timestamp window: a request is accepted while its
# timestamp is within MAX_SKEW of our clock, so its nonce matters that long
# after the first time it was seen, plus the skew it may have had then.
MAX_SKEW = timedelta(minutes=5)
NONCE_RETENTION = 2 * MAX_SKEW


# --- Who may do what ---------------------------------------------------------


def can_manage(actor: Any) -> bool:
    """Oversight officers (oversight:write) and supervisors (oversight:decide)."""
    return can_read(actor) and (actor.can("oversight:write") or actor.can("oversight:decide"))


def require_manage(actor: Any) -> None:
    require_read(actor)
    if not can_manage(actor):
        raise PermissionDenied(code="device_managers_only")


# --- Keys --------------------------------------------------------------------


def new_key_id() -> str:
    return secrets.token_hex(4)


def new_hmac_secret() -> str:
    """A fresh secret; the device uses its UTF-8 bytes as the HMAC key."""
    return "sdk_" + secrets.token_urlsafe(32)


def parse_public_key(text: str) -> bytes:
    """The raw 32 bytes of an Ed25519 public key given in base64 (or base64url)."""
    clean = "".join((text or "").split())
    try:
        raw = base64.b64decode(clean.replace("-", "+").replace("_", "/") + "=" * (-len(clean) % 4))
        Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise ValidationFailed.for_field(
            "public_key",
            _("Paste the device's Ed25519 public key: 32 bytes in base64 (44 characters)."),
            code="public_key_invalid",
        ) from None
    return raw


def signed_message(timestamp: str, nonce: str, body: bytes) -> bytes:
    """What a device signs: ``f"{timestamp}\\n{nonce}\\n"`` followed by the raw body."""
    return f"{timestamp}\n{nonce}\n".encode() + body


def sign_hmac(secret: str, timestamp: str | int, nonce: str, body: bytes) -> str:
    """The hex signature an HMAC device sends (for clients, tests and the bench)."""
    message = signed_message(str(timestamp), nonce, body)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _signature_bytes(signature: str, length: int) -> bytes | None:
    """Hex or base64 (standard or url-safe, padding optional) of ``length`` bytes."""
    text = signature.strip()
    if len(text) == 2 * length and re.fullmatch(r"[0-9a-fA-F]+", text):
        return bytes.fromhex(text)
    try:
        raw = base64.b64decode(
            text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4), validate=True
        )
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == length else None


def signature_valid(device: Device, message: bytes, signature: str) -> bool:
    """Constant-time HMAC comparison, or Ed25519 verification."""
    if device.key_kind == DeviceKeyKind.HMAC:
        given = _signature_bytes(signature, 32)
        expected = hmac.new((device.secret or "").encode(), message, hashlib.sha256).digest()
        return given is not None and hmac.compare_digest(given, expected)
    given = _signature_bytes(signature, 64)
    if given is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(device.public_key)).verify(
            given, message
        )
    except (InvalidSignature, ValueError):
        return False
    return True


# --- Registration ------------------------------------------------------------


@dataclass(frozen=True)
class DeviceData:
    code: str
    kind: str
    kecamatan_code: str
    location: str
    key_kind: str
    public_key: str = ""
    expected_interval_minutes: int = 10


@dataclass(frozen=True)
class Registered:
    """The device and, for an HMAC key, its secret: shown once, never again."""

    device: Device
    secret: str | None


def _clean(data: DeviceData) -> dict[str, Any]:
    errors: dict[str, list[str | Promise]] = {}
    code = (data.code or "").strip().lower()
    if not CODE_PATTERN.fullmatch(code):
        errors["code"] = [
            _("3 to 40 lower-case letters, digits and dashes, e.g. cctv-liwa-01."),
        ]
    if data.kind not in DeviceKind.values:
        errors["kind"] = [_("Choose a kind of device.")]
    kecamatan = Region.objects.filter(
        code=(data.kecamatan_code or "").strip(), level=Region.Level.DISTRICT
    ).first()
    if kecamatan is None:
        errors["kecamatan"] = [_("Choose a kecamatan from the list.")]
    location = " ".join((data.location or "").split())
    if not location or len(location) > 200:
        errors["location"] = [_("Describe where the device is (at most 200 characters).")]
    if data.key_kind not in DeviceKeyKind.values:
        errors["key_kind"] = [_("Choose HMAC or Ed25519.")]
    if not 1 <= data.expected_interval_minutes <= MAX_INTERVAL_MINUTES:
        errors["expected_interval_minutes"] = [_("Between 1 and 1440 minutes.")]
    public_key = ""
    if data.key_kind == DeviceKeyKind.ED25519:
        try:
            public_key = base64.b64encode(parse_public_key(data.public_key)).decode()
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    return {
        "code": code,
        "kind": data.kind,
        "kecamatan": kecamatan,
        "location": location,
        "key_kind": data.key_kind,
        "public_key": public_key,
        "expected_interval_minutes": data.expected_interval_minutes,
    }


def _office_of(actor: Any, office: Office | None) -> Office:
    chosen = office or actor.office
    visible = visible_office_ids(actor)
    if chosen is None or (visible is not None and chosen.pk not in visible):
        raise PermissionDenied(code="office_out_of_scope")
    return chosen


@transaction.atomic
def device_register(*, actor: Any, data: DeviceData, office: Office | None = None) -> Registered:
    """Register a device in the actor's office; an HMAC device gets a new
    secret, returned here once."""
    require_manage(actor)
    clean = _clean(data)
    chosen = _office_of(actor, office)
    if Device.objects.filter(code=clean["code"]).exists():
        raise Conflict(
            _("A device with this code is already registered."), code="device_code_taken"
        )
    secret = new_hmac_secret() if clean["key_kind"] == DeviceKeyKind.HMAC else None
    try:
        with transaction.atomic():
            device = Device.objects.create(
                **clean,
                office=chosen,
                secret=secret,
                key_id=new_key_id(),
                rotated_at=timezone.now(),
                registered_by=actor,
            )
    except IntegrityError:
        raise Conflict(
            _("A device with this code is already registered."), code="device_code_taken"
        ) from None
    audit_record(
        actor=actor,
        action="oversight.device_registered",
        target=device,
        data={"device": device.code, "kind": device.kind, "key_kind": device.key_kind},
    )
    return Registered(device, secret)


@transaction.atomic
def device_rekey(*, actor: Any, device: Device, key_kind: str, public_key: str = "") -> Registered:
    """A new key (and key id) for a device: a new HMAC secret shown once, or a
    new Ed25519 public key. The old key stops working at once."""
    require_manage(actor)
    device = _locked(actor, device)
    if key_kind == DeviceKeyKind.HMAC:
        secret: str | None = new_hmac_secret()
        device.secret, device.public_key = secret, ""
    elif key_kind == DeviceKeyKind.ED25519:
        secret = None
        device.public_key = base64.b64encode(parse_public_key(public_key)).decode()
        device.secret = None
    else:
        raise ValidationFailed.for_field(
            "key_kind", _("Choose HMAC or Ed25519."), code="key_kind_invalid"
        )
    device.key_kind = key_kind
    device.key_id = new_key_id()
    device.rotated_at = timezone.now()
    device.save(
        update_fields=["secret", "public_key", "key_kind", "key_id", "rotated_at", "updated_at"]
    )
    DeviceNonce.objects.filter(device=device).delete()
    audit_record(
        actor=actor,
        action="oversight.device_rekeyed",
        target=device,
        data={"device": device.code, "key_kind": device.key_kind, "key_id": device.key_id},
    )
    return Registered(device, secret)


@transaction.atomic
def device_set_status(*, actor: Any, device: Device, status: str) -> Device:
    """Disable a device (its requests are refused) or enable it again."""
    require_manage(actor)
    if status not in Device.Status.values:
        raise ValidationFailed.for_field("status", _("Unknown status."), code="status_invalid")
    device = _locked(actor, device)
    if device.status != status:
        device.status = status
        device.save(update_fields=["status", "updated_at"])
        if status == Device.Status.DISABLED:
            # A disabled device is not expected to talk: its outage ends here.
            DeviceAlert.objects.filter(device=device, closed_at__isnull=True).update(
                closed_at=timezone.now()
            )
        audit_record(
            actor=actor,
            action="oversight.device_status_changed",
            target=device,
            data={"device": device.code, "status": status},
        )
    return device


def _locked(actor: Any, device: Device) -> Device:
    found = devices_visible(actor=actor).select_for_update().filter(pk=device.pk).first()
    if found is None:
        raise NotFound()
    return found


# --- Reads -------------------------------------------------------------------


def devices_visible(*, actor: Any) -> QuerySet[Device]:
    if not can_read(actor):
        return Device.objects.none()
    return scope_by_office(Device.objects.all(), actor)


def device_list(*, actor: Any, kind: str = "", status: str = "") -> QuerySet[Device]:
    """The office's devices with their open alert (if any) as ``offline_since``."""
    open_alert = DeviceAlert.objects.filter(device=OuterRef("pk"), closed_at__isnull=True)
    found = (
        devices_visible(actor=actor)
        .select_related("kecamatan", "office")
        .annotate(offline_since=Subquery(open_alert.values("silent_since")[:1]))
    )
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    return found.order_by("code")


def device_get(*, actor: Any, public_id: uuid.UUID) -> Device:
    found = device_list(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    return found


def alerts_visible(*, actor: Any, open_only: bool = False) -> QuerySet[DeviceAlert]:
    if not can_read(actor):
        return DeviceAlert.objects.none()
    found = scope_by_office(DeviceAlert.objects.all(), actor, "device__office").select_related(
        "device", "device__kecamatan"
    )
    return found.filter(closed_at__isnull=True) if open_only else found


# --- Heartbeat and offline alerts ----------------------------------------------


def device_heard_from(device: Device, now: datetime) -> None:
    """Called inside the ingestion transaction: last seen now, outage over."""
    Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    closed = DeviceAlert.objects.filter(device=device, closed_at__isnull=True).update(closed_at=now)
    if closed:
        audit_record(
            actor=None,
            action="oversight.device_back_online",
            target=device,
            data={"device": device.code},
        )


@dataclass
class OfflineResult:
    opened: list[str]
    closed: list[str]
    nonces_deleted: int


@transaction.atomic
def devices_check_offline(*, now: datetime | None = None) -> OfflineResult:
    """Open one alert per outage for every active device silent longer than
    its expected interval (never heard from: counted from registration), and
    close alerts of devices heard from since. Also forgets nonces that can no
    longer be replayed. Safe to run at any time and any number of times."""
    now = now or timezone.now()
    result = OfflineResult(opened=[], closed=[], nonces_deleted=0)
    for alert in DeviceAlert.objects.select_for_update().filter(
        closed_at__isnull=True, device__last_seen_at__gt=F("silent_since")
    ):
        alert.closed_at = alert.device.last_seen_at
        alert.save(update_fields=["closed_at"])
        result.closed.append(str(alert.public_id))
    devices = (
        Device.objects.filter(status=Device.Status.ACTIVE)
        .exclude(pk__in=DeviceAlert.objects.filter(closed_at__isnull=True).values("device_id"))
        .order_by("id")
    )
    for device in devices:
        last = device.last_seen_at or device.created_at
        if now - last <= timedelta(minutes=device.expected_interval_minutes):
            continue
        try:
            with transaction.atomic():
                alert = DeviceAlert.objects.create(device=device, opened_at=now, silent_since=last)
        except IntegrityError:  # another run opened it a moment ago
            continue
        result.opened.append(str(alert.public_id))
        audit_record(
            actor=None,
            action="oversight.device_offline",
            target=device,
            data={"device": device.code, "alert": str(alert.public_id)},
        )
    result.nonces_deleted, _detail = DeviceNonce.objects.filter(
        received_at__lt=now - NONCE_RETENTION
    ).delete()
    return result
