"""Schedules, quotas and booking settings are master data edited here (every
edit audited); bookings and queue numbers are read-only: they change only
through the services, which audit."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from simi.appointments.codes import Action
from simi.appointments.models import (
    Booking,
    BookingSettings,
    PriorityQuota,
    Quota,
    Session,
    SessionHours,
    Ticket,
)
from simi.audit.adminaudit import AuditedAdmin


class _AuditedAdmin(AuditedAdmin):
    audit_added = Action.ADMIN_ADDED
    audit_changed = Action.ADMIN_CHANGED
    audit_deleted = Action.ADMIN_DELETED


class SessionHoursInline(admin.TabularInline):
    model = SessionHours
    extra = 0


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0


@admin.register(Session)
class SessionAdmin(_AuditedAdmin):
    list_display = ["office", "code", "name_id", "display_order", "is_active"]
    list_filter = ["office", "is_active"]
    inlines = [SessionHoursInline, QuotaInline]


@admin.register(Quota)
class QuotaAdmin(_AuditedAdmin):
    list_display = ["session", "kind", "places", "valid_from", "valid_to"]
    list_filter = ["session__office", "kind"]


@admin.register(PriorityQuota)
class PriorityQuotaAdmin(_AuditedAdmin):
    list_display = ["office", "places", "valid_from", "valid_to"]
    list_filter = ["office"]


@admin.register(BookingSettings)
class BookingSettingsAdmin(_AuditedAdmin):
    list_display = ["office", "window_days"]


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(_ReadOnlyAdmin):
    list_display = ["code", "office", "day", "session", "kind", "status", "reschedule_count"]
    list_filter = ["office", "status", "kind", "day"]
    search_fields = ["code"]
    fields = [
        "public_id",
        "code",
        "office",
        "kind",
        "day",
        "session",
        "status",
        "reschedule_count",
        "rescheduled_at",
        "cancelled_at",
        "checked_in_at",
        "reminded_at",
        "created_at",
    ]


@admin.register(Ticket)
class TicketAdmin(_ReadOnlyAdmin):
    list_display = ["__str__", "office", "day", "kind", "status", "priority_reason", "counter"]
    list_filter = ["office", "day", "status"]
    fields = [
        "public_id",
        "office",
        "day",
        "prefix",
        "number",
        "kind",
        "priority_reason",
        "status",
        "counter",
        "issued_at",
        "called_at",
        "finished_at",
    ]
