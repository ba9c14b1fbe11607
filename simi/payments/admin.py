"""Payment channels are master data (their secret is write-only here);
bills, payments and reconciliations are read here and changed only through
the services, which audit every change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from simi.audit.services import audit_record
from simi.payments.codes import Action
from simi.payments.models import Bill, Payment, PaymentChannel, PaymentMethod, Reconciliation


class PaymentChannelForm(forms.ModelForm):
    new_secret = forms.CharField(
        label=_("New HMAC secret"),
        required=False,
        min_length=32,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "At least 32 characters, shared with the channel. Empty: keep the current one."
        ),
    )

    class Meta:
        model = PaymentChannel
        fields = ["code", "name", "is_active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is None and not cleaned.get("new_secret"):
            self.add_error("new_secret", _("A new channel needs a secret."))
        return cleaned


@admin.register(PaymentChannel)
class PaymentChannelAdmin(admin.ModelAdmin):
    form = PaymentChannelForm
    list_display = ["code", "name", "is_active", "updated_at"]
    fields = ["code", "name", "is_active", "new_secret"]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return ["code"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        secret = form.cleaned_data.get("new_secret")
        if secret:
            obj.secret = secret
        super().save_model(request, obj, form, change)
        fields = sorted(name for name in form.changed_data if name != "new_secret")
        audit_record(
            actor=request.user,
            action=Action.CHANNEL_CHANGED if change else Action.CHANNEL_CREATED,
            target=obj,
            data={"channel": obj.code, "fields": fields, "secret_changed": bool(secret)},
        )

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # switch a channel off instead: its payments keep pointing at it


@admin.register(PaymentMethod)
class PaymentMethodAdmin(admin.ModelAdmin):
    """How to pay: what payers read on the bill page; edits are audited."""

    list_display = ["code", "name_id", "sort_order", "is_active", "updated_at"]
    list_editable = ["sort_order"]
    fields = [
        "code",
        "sort_order",
        "is_active",
        ("name_id", "name_en"),
        "steps_id",
        "steps_en",
        "source",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return ["code"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=Action.PAYMENT_METHOD_CHANGED,
            target=obj,
            data={"method": obj.code, "fields": sorted(form.changed_data), "added": not change},
        )

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # hide one instead (is_active)


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Bill)
class BillAdmin(_ReadOnlyAdmin):
    list_display = [
        "billing_code",
        "purpose",
        "owner_code",
        "office",
        "amount",
        "status",
        "issued_at",
    ]
    list_filter = ["status", "purpose", "office"]
    # The owner by its reference (e.g. an application's public id) or its code
    # as the payer knows it (e.g. a tracking code XXXX-XXXX-XXXX-XX).
    search_fields = ["billing_code", "=reference", "owner_code"]
    readonly_fields = [
        "billing_code",
        "reference",
        "owner_code",
        "owner_label_id",
        "owner_label_en",
    ]
    exclude = ["payer"]


@admin.register(Payment)
class PaymentAdmin(_ReadOnlyAdmin):
    list_display = ["channel", "channel_reference", "ntpn", "amount", "paid_at", "received_at"]
    list_filter = ["channel"]
    search_fields = ["channel_reference", "=ntpn"]


@admin.register(Reconciliation)
class ReconciliationAdmin(_ReadOnlyAdmin):
    list_display = [
        "file_name",
        "created_at",
        "total_lines",
        "matched_count",
        "unmatched_count",
        "duplicate_count",
    ]
