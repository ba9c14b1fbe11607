from django.contrib import admin

from simi.core.models import CalendarException, Office, Region


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "region", "is_active"]
    fields = [
        "code",
        "name",
        "kind",
        "parent",
        "region",
        "address",
        "phone",
        "opening_hours",
        "is_active",
        "source",
        "public_id",
        "created_at",
        "updated_at",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    readonly_fields = ["public_id", "created_at", "updated_at"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ["date", "office", "is_working_day", "reason", "legal_basis"]
    list_filter = ["is_working_day", "office"]
    date_hierarchy = "date"
