"""The audit trail of edits made in the catalogue admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from simi.catalog import services


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit entry for every add, change and delete made here."""

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
        # Recorded before the rows go: a deleted row has no id afterwards.
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
