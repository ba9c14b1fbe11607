"""Retention rules are master data; requests and incidents are read here and
changed only through their pages (the services audit every change)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from simi.privacy.models import DataSubjectRequest, Incident, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["record_type", "retain_days", "is_active", "legal_basis", "updated_at"]
    list_filter = ["is_active"]
    fields = ["record_type", "retain_days", "legal_basis", "source", "is_active"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return ["record_type"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Switch a rule off instead: the history of what was kept how long stays.
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(_ReadOnlyAdmin):
    list_display = ["public_id", "kind", "status", "received_at", "due_at", "escalated_at"]
    list_filter = ["kind", "status"]
    fields = [
        "public_id",
        "kind",
        "status",
        "received_at",
        "due_at",
        "escalated_at",
        "completed_at",
        "handled_by",
        "processing_restricted",
    ]


@admin.register(Incident)
class IncidentAdmin(_ReadOnlyAdmin):
    list_display = ["title", "severity", "status", "discovered_at", "notify_deadline"]
    list_filter = ["severity", "status"]
    fields = [
        "public_id",
        "title",
        "severity",
        "status",
        "occurred_at",
        "discovered_at",
        "notify_deadline",
        "affected_subjects",
        "subjects_notified_at",
        "authority_notified_at",
    ]
