"""Reads of the device registry, already scoped to the offices the caller
sees; a device of another office answers NotFound."""

from __future__ import annotations

import uuid

from django.db.models import OuterRef, QuerySet, Subquery

from simi.accounts.actors import Actor
from simi.accounts.scoping import scope_by_office
from simi.core.errors import NotFound
from simi.oversight.access import can_read
from simi.oversight.models import Device, DeviceAlert


def devices_visible(*, actor: Actor) -> QuerySet[Device]:
    if not actor.is_authenticated or not can_read(actor):
        return Device.objects.none()
    return scope_by_office(Device.objects.all(), actor)


def device_list(*, actor: Actor, kind: str = "", status: str = "") -> QuerySet[Device]:
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


def device_get(*, actor: Actor, public_id: uuid.UUID) -> Device:
    found = device_list(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    return found


def alerts_visible(*, actor: Actor, open_only: bool = False) -> QuerySet[DeviceAlert]:
    if not actor.is_authenticated or not can_read(actor):
        return DeviceAlert.objects.none()
    found = scope_by_office(DeviceAlert.objects.all(), actor, "device__office").select_related(
        "device", "device__kecamatan"
    )
    return found.filter(closed_at__isnull=True) if open_only else found
