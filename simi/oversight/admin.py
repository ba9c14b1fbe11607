"""Lodging places are master data (admins link partner accounts and set the
silence alert); the register itself changes only through its pages."""

from __future__ import annotations

from django.contrib import admin

from simi.oversight.models import Device, LodgingPlace


@admin.register(LodgingPlace)
class LodgingPlaceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "kecamatan", "office", "quiet_days_alert", "is_active"]
    list_filter = ["kind", "is_active", "office"]
    search_fields = ["code", "name"]
    filter_horizontal = ["partners"]
    fields = [
        "code",
        "name",
        "kind",
        "kecamatan",
        "office",
        "partners",
        "quiet_days_alert",
        "is_active",
    ]


# Devices: read-only here; registration and keys go through the back office
# (devices/views.py), which shows an HMAC secret once and audits.
@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "office", "kecamatan", "status", "key_kind", "last_seen_at"]
    list_filter = ["kind", "status", "key_kind", "office"]
    search_fields = ["code", "location"]
    fields = [
        "code",
        "kind",
        "office",
        "kecamatan",
        "location",
        "status",
        "key_kind",
        "key_id",
        "public_key",
        "expected_interval_minutes",
        "last_seen_at",
        "rotated_at",
    ]
    readonly_fields = (
        "code",
        "kind",
        "office",
        "kecamatan",
        "location",
        "status",
        "key_kind",
        "key_id",
        "public_key",
        "expected_interval_minutes",
        "last_seen_at",
        "rotated_at",
    )

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
