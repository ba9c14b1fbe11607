"""Master data edited in the Django admin is audited like any service write.

A domain's admin classes inherit ``AuditedAdmin`` and name their domain's
actions; every add, change and delete (inline rows included) then writes one
audit entry with the row, the model and the names of the changed fields, never
their values.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from simi.audit.services import audit_record
from simi.core.codes import AuditAction


class AuditedAdmin(admin.ModelAdmin):
    audit_added: AuditAction
    audit_changed: AuditAction
    audit_deleted: AuditAction

    def _audit(
        self, request: HttpRequest, obj: models.Model, action: AuditAction, fields: list[str]
    ) -> None:
        audit_record(
            actor=request.user,
            action=action,
            target=obj,
            data={"model": obj._meta.label_lower, "fields": sorted(fields)},
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        action = self.audit_changed if change else self.audit_added
        self._audit(request, obj, action, list(form.changed_data))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit(request, obj, self.audit_deleted, [])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self._audit(request, obj, self.audit_deleted, [])
        super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Recorded before the rows go: a deleted row has no id afterwards.
        for deleted in formset.deleted_forms:
            if deleted.instance.pk is not None:
                self._audit(request, deleted.instance, self.audit_deleted, [])
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._audit(request, obj, self.audit_added, [])
        for obj, fields in formset.changed_objects:
            self._audit(request, obj, self.audit_changed, list(fields))
