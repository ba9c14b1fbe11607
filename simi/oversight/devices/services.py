"""The device registry: CCTV analytics units, autogates and kiosks, each with
its own key (``keys.py``), and the offline alert when one falls silent.

Registration, re-keying and disabling need ``oversight:write`` or a
supervisor (``oversight:decide``) of the device's office; everyone with
``oversight:read`` sees the office's devices (``selectors.py``). Audit data
holds codes and ids, never a key.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.audit.services import audit_record
from simi.core.errors import Conflict, NotFound, ValidationFailed
from simi.core.models import Office, Region
from simi.oversight.access import office_in_scope, require_manage_devices
from simi.oversight.codes import Action, Code
from simi.oversight.devices.keys import (
    NONCE_RETENTION,
    new_hmac_secret,
    new_key_id,
    parse_public_key,
)
from simi.oversight.devices.selectors import devices_visible
from simi.oversight.models import Device, DeviceAlert, DeviceKeyKind, DeviceKind, DeviceNonce

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{2,39}$")
MAX_INTERVAL_MINUTES = 24 * 60


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


@transaction.atomic
def device_register(*, actor: Actor, data: DeviceData, office: Office | None = None) -> Registered:
    """Register a device in the actor's office; an HMAC device gets a new
    secret, returned here once."""
    manager = require_manage_devices(actor)
    clean = _clean(data)
    chosen = office_in_scope(manager, office)
    if Device.objects.filter(code=clean["code"]).exists():
        raise Conflict(
            _("A device with this code is already registered."), code=Code.DEVICE_CODE_TAKEN
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
                registered_by=manager,
            )
    except IntegrityError:
        raise Conflict(
            _("A device with this code is already registered."), code=Code.DEVICE_CODE_TAKEN
        ) from None
    audit_record(
        actor=actor,
        action=Action.DEVICE_REGISTERED,
        target=device,
        data={"device": device.code, "kind": device.kind, "key_kind": device.key_kind},
    )
    return Registered(device, secret)


@transaction.atomic
def device_rekey(
    *, actor: Actor, device: Device, key_kind: str, public_key: str = ""
) -> Registered:
    """A new key (and key id) for a device: a new HMAC secret shown once, or a
    new Ed25519 public key. The old key stops working at once."""
    require_manage_devices(actor)
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
            "key_kind", _("Choose HMAC or Ed25519."), code=Code.KEY_KIND_INVALID
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
        action=Action.DEVICE_REKEYED,
        target=device,
        data={"device": device.code, "key_kind": device.key_kind, "key_id": device.key_id},
    )
    return Registered(device, secret)


@transaction.atomic
def device_set_status(*, actor: Actor, device: Device, status: str) -> Device:
    """Disable a device (its requests are refused) or enable it again."""
    require_manage_devices(actor)
    if status not in Device.Status.values:
        raise ValidationFailed.for_field("status", _("Unknown status."), code=Code.STATUS_INVALID)
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
            action=Action.DEVICE_STATUS_CHANGED,
            target=device,
            data={"device": device.code, "status": status},
        )
    return device


def _locked(actor: Actor, device: Device) -> Device:
    found = devices_visible(actor=actor).select_for_update(no_key=True).filter(pk=device.pk).first()
    if found is None:
        raise NotFound()
    return found


# --- Heartbeat and offline alerts ----------------------------------------------


def device_heard_from(device: Device, now: datetime) -> None:
    """Called inside the ingestion transaction: last seen now, outage over."""
    Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    closed = DeviceAlert.objects.filter(device=device, closed_at__isnull=True).update(closed_at=now)
    if closed:
        audit_record(
            actor=None,
            action=Action.DEVICE_CAME_BACK_ONLINE,
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
    for alert in DeviceAlert.objects.select_for_update(no_key=True).filter(
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
            action=Action.DEVICE_WENT_OFFLINE,
            target=device,
            data={"device": device.code, "alert": str(alert.public_id)},
        )
    result.nonces_deleted, _detail = DeviceNonce.objects.filter(
        received_at__lt=now - NONCE_RETENTION
    ).delete()
    return result
