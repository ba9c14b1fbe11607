"""Read-only outbox for administrators: status and errors, no destinations."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from simi.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = (
        "created_at",
        "event",
        "channel",
        "status",
        "attempts",
        "last_error",
        "sent_at",
        "recipient",
    )
    list_filter = ("status", "channel", "event")
    search_fields = ("key", "public_id")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    fields = (
        "public_id",
        "recipient",
        "event",
        "key",
        "channel",
        "params",
        "link",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "provider_message_id",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False
