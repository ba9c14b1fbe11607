"""Schedules, quotas and booking settings are master data edited here (every
edit audited); bookings and queue numbers are read-only: they change only
through the services, which audit."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from simi.appointments import services
from simi.appointments.models import (
    Booking,
    BookingSettings,
    PriorityQuota,
    Quota,
    Session,
    SessionHours,
    Ticket,
)


class _AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.admin_change_record(
            actor=request.user,
            target=obj,
            action="admin_changed" if change else "admin_added",
            fields=list(form.changed_data),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.admin_change_record(
            actor=request.user, target=obj, action="admin_deleted", fields=[]
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            services.admin_change_record(
                actor=request.user, target=obj, action="admin_deleted", fields=[]
            )
        super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for deleted in formset.deleted_forms:
            if deleted.instance.pk is not None:
                services.admin_change_record(
                    actor=request.user, target=deleted.instance, action="admin_deleted", fields=[]
                )
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            services.admin_change_record(
                actor=request.user, target=obj, action="admin_added", fields=[]
            )
        for obj, fields in formset.changed_objects:
            services.admin_change_record(
                actor=request.user, target=obj, action="admin_changed", fields=list(fields)
            )


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
