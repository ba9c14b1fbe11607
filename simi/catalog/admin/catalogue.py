"""Services with their fee history, standards, documents and billing rule."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from simi.catalog import selectors
from simi.catalog.admin.base import AuditedAdmin
from simi.catalog.models import BillingRule, Fee, RequiredDocument, ServiceType, SlaRule
from simi.core.money import format_rupiah


class FeeInline(admin.TabularInline):
    """Fee history, read-only: use "Schedule a fee change" to add a period."""

    model = Fee
    extra = 0
    can_delete = False
    show_change_link = True
    fields = readonly_fields = (
        "component",
        "amount_display",
        "valid_from",
        "valid_to",
        "is_confirmed",
        "legal_basis",
        "source",
        "note",
    )

    @admin.display(description=_("amount"))
    def amount_display(self, obj: Fee) -> str:
        return format_rupiah(obj.amount)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SlaRuleInline(admin.TabularInline):
    model = SlaRule
    extra = 0
    can_delete = False
    show_change_link = True
    fields = readonly_fields = (
        "working_days",
        "valid_from",
        "valid_to",
        "is_confirmed",
        "legal_basis",
        "source",
        "note",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RequiredDocumentInline(admin.StackedInline):
    model = RequiredDocument
    extra = 0
    fields = [
        ("code", "display_order", "is_mandatory", "is_confirmed"),
        ("name_id", "name_en"),
        ("condition_id", "condition_en"),
        ("description_id", "description_en"),
        "source",
    ]


class BillingRuleInline(admin.StackedInline):
    model = BillingRule
    extra = 0
    max_num = 1
    fields = [("expiry_minutes", "on_expiry", "is_confirmed"), "legal_basis", "source", "note"]


@admin.register(ServiceType)
class ServiceTypeAdmin(AuditedAdmin):
    list_display = [
        "code",
        "name_id",
        "kind",
        "applicant_category",
        "is_active",
        "display_order",
        "fee_today",
        "sla_today",
        "source",
    ]
    list_filter = ["kind", "applicant_category", "is_active", "offices"]
    search_fields = ["code", "name_id", "name_en"]
    filter_horizontal = ["offices"]
    inlines = [FeeInline, SlaRuleInline, RequiredDocumentInline, BillingRuleInline]
    fieldsets = [
        (None, {"fields": ["code", "kind", "applicant_category", "is_active", "display_order"]}),
        (_("Texts"), {"fields": ["name_id", "name_en", "description_id", "description_en"]}),
        (_("Where offered"), {"fields": ["offices"]}),
        (_("Where it comes from"), {"fields": ["legal_basis", "source"]}),
        (_("Fees and service standard"), {"fields": ["schedule_changes"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Codes are stable: the API, bills and applications refer to them.
        return ["code", "schedule_changes"] if obj is not None else ["schedule_changes"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # unpublish instead: fees and bills refer to the service

    @admin.display(description=_("fee today"))
    def fee_today(self, obj: ServiceType) -> str:
        fees = selectors.fee_in_force(obj)
        return format_rupiah(fees.total) if fees.is_set else "-"

    @admin.display(description=_("working days today"))
    def sla_today(self, obj: ServiceType) -> str:
        sla = selectors.sla_in_force(obj)
        return str(sla.working_days) if sla is not None else "-"

    @admin.display(description=_("changes"))
    def schedule_changes(self, obj: ServiceType | None) -> SafeString | str:
        if obj is None or obj.pk is None:
            return str(_("Save the service first."))
        return format_html(
            '<a href="{}?service_type={}">{}</a> · <a href="{}?service_type={}">{}</a>',
            reverse("admin:catalog_fee_add"),
            obj.pk,
            _("Schedule a fee change"),
            reverse("admin:catalog_slarule_add"),
            obj.pk,
            _("Schedule a service-standard change"),
        )


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(AuditedAdmin):
    list_display = ["service_type", "code", "name_id", "is_mandatory", "is_confirmed", "source"]
    list_filter = ["is_confirmed", "is_mandatory", "service_type__kind"]
    search_fields = ["service_type__code", "code", "name_id", "name_en"]
    list_select_related = ["service_type"]


@admin.register(BillingRule)
class BillingRuleAdmin(AuditedAdmin):
    list_display = [
        "service_type",
        "expiry_minutes",
        "on_expiry",
        "is_confirmed",
        "legal_basis",
        "source",
    ]
    list_filter = ["on_expiry", "is_confirmed"]
    search_fields = ["service_type__code", "legal_basis"]
    list_select_related = ["service_type"]
