"""Lodging places are master data (admins link partner accounts and set the
silence alert); the register itself changes only through its pages."""

from __future__ import annotations

from django.contrib import admin

from simi.oversight.models import LodgingPlace


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
