"""Fees and service standards in the admin: a new period goes through the
services (which close the current one the day before); existing periods keep
their amount and dates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.catalog import services
from simi.catalog.admin.base import AuditedAdmin
from simi.catalog.models import Fee, SlaRule
from simi.core.errors import SimiError
from simi.core.money import format_rupiah

# Read-only once a period exists: a change is a new period, not an edit.
FEE_PERIOD_FIELDS = ["service_type", "component", "amount", "valid_from", "valid_to"]
SLA_PERIOD_FIELDS = ["service_type", "working_days", "valid_from", "valid_to"]


class PeriodAdmin(AuditedAdmin):
    """Fees and SLAs: new periods go through a service; periods are never deleted."""

    period_fields: list[str] = []

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        fields = ["created_at", "updated_at"]
        return [*self.period_fields, "change_reason", *fields] if obj is not None else fields

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        # The form's clean() runs the service check, which needs the actor.
        return type(form.__name__, (form,), {"actor": request.user})

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FeeForm(forms.ModelForm):
    # set per request by get_form (the service checks need the caller)
    actor: Actor = AnonymousUser()

    class Meta:
        model = Fee
        fields = [
            "service_type",
            "component",
            "label_id",
            "label_en",
            "amount",
            "valid_from",
            "legal_basis",
            "legal_basis_en",
            "source",
            "note",
            "is_confirmed",
            "change_reason",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and not self.errors:
            try:
                services.fee_change_check(
                    actor=self.actor,
                    service_type=data["service_type"],
                    amount=data["amount"],
                    valid_from=data["valid_from"],
                    legal_basis=data.get("legal_basis", ""),
                    component=data.get("component", ""),
                    reason=data.get("change_reason", ""),
                )
            except SimiError as exc:
                _show_on_form(self, exc)
        return data


def _show_on_form(form: forms.ModelForm[Any], exc: SimiError) -> None:
    if not exc.fields:
        form.add_error(None, str(exc.message))
    for name, messages in exc.fields.items():
        # The services call it "reason"; the model field is change_reason.
        name = "change_reason" if name == "reason" else name
        for message in messages:
            form.add_error(name if name in form.fields else None, str(message))


@admin.register(Fee)
class FeeAdmin(PeriodAdmin):
    form = FeeForm
    period_fields = FEE_PERIOD_FIELDS
    list_display = [
        "service_type",
        "component",
        "amount_display",
        "valid_from",
        "valid_to",
        "is_confirmed",
        "legal_basis",
        "source",
    ]
    list_filter = ["is_confirmed", "service_type__kind", "valid_from"]
    search_fields = ["service_type__code", "service_type__name_id", "legal_basis", "source"]
    list_select_related = ["service_type"]
    fields = [
        "service_type",
        "component",
        "label_id",
        "label_en",
        "amount",
        "valid_from",
        "valid_to",
        "legal_basis",
        "legal_basis_en",
        "source",
        "note",
        "is_confirmed",
        "change_reason",
        "created_at",
        "updated_at",
    ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        # valid_to is set only by the next change, never typed in.
        return [f for f in self.fields if obj is not None or f != "valid_to"]

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj: Fee) -> str:
        return format_rupiah(obj.amount)

    def save_model(self, request: HttpRequest, obj: Fee, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        fee = services.fee_schedule_change(
            actor=request.user,
            service_type=data["service_type"],
            amount=data["amount"],
            valid_from=data["valid_from"],
            legal_basis=data["legal_basis"],
            legal_basis_en=data.get("legal_basis_en", ""),
            source=data.get("source", ""),
            component=data.get("component", ""),
            note=data.get("note", ""),
            label_id=data.get("label_id", ""),
            label_en=data.get("label_en", ""),
            is_confirmed=data.get("is_confirmed", True),
            reason=data.get("change_reason", ""),
        )
        # The admin goes on with ``obj`` (log entry, redirect): make it the saved row.
        obj.pk = fee.pk
        obj.refresh_from_db()
        obj._state.adding = False


class SlaRuleForm(forms.ModelForm):
    # set per request by get_form (the service checks need the caller)
    actor: Actor = AnonymousUser()

    class Meta:
        model = SlaRule
        fields = [
            "service_type",
            "working_days",
            "valid_from",
            "legal_basis",
            "source",
            "note",
            "is_confirmed",
            "change_reason",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and not self.errors:
            try:
                services.sla_change_check(
                    actor=self.actor,
                    service_type=data["service_type"],
                    working_days=data["working_days"],
                    valid_from=data["valid_from"],
                    legal_basis=data.get("legal_basis", ""),
                    reason=data.get("change_reason", ""),
                )
            except SimiError as exc:
                _show_on_form(self, exc)
        return data


@admin.register(SlaRule)
class SlaRuleAdmin(PeriodAdmin):
    form = SlaRuleForm
    period_fields = SLA_PERIOD_FIELDS
    list_display = [
        "service_type",
        "working_days",
        "valid_from",
        "valid_to",
        "is_confirmed",
        "legal_basis",
        "source",
    ]
    list_filter = ["is_confirmed", "service_type__kind"]
    search_fields = ["service_type__code", "legal_basis", "source"]
    list_select_related = ["service_type"]
    fields = [
        "service_type",
        "working_days",
        "valid_from",
        "valid_to",
        "legal_basis",
        "source",
        "note",
        "is_confirmed",
        "change_reason",
        "created_at",
        "updated_at",
    ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [f for f in self.fields if obj is not None or f != "valid_to"]

    def save_model(self, request: HttpRequest, obj: SlaRule, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        rule = services.sla_change(
            actor=request.user,
            service_type=data["service_type"],
            working_days=data["working_days"],
            valid_from=data["valid_from"],
            legal_basis=data["legal_basis"],
            source=data.get("source", ""),
            note=data.get("note", ""),
            is_confirmed=data.get("is_confirmed", True),
            reason=data.get("change_reason", ""),
        )
        obj.pk = rule.pk
        obj.refresh_from_db()
        obj._state.adding = False
