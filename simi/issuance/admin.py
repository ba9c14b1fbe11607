"""Issued documents and seal keys are read here; they change only through
services (which audit): issuance and revocation pages, and the withdraw action."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from simi.issuance.models import IssuedDocument, SealKey
from simi.issuance.sealkeys import seal_key_withdraw


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(_ReadOnlyAdmin):
    # No number, MRZ or seal: the admin list is not a place for personal data.
    list_display = ["public_id", "kind", "status", "holder_initials", "valid_until", "office"]
    list_filter = ["kind", "status", "office"]
    fields = [
        "public_id",
        "kind",
        "status",
        "holder_initials",
        "holder_birth_year",
        "valid_from",
        "valid_until",
        "issued_at",
        "office",
        "revoked_at",
        "seal_kid",
        "audit_leaf_index",
        "application_reference",
    ]


@admin.register(SealKey)
class SealKeyAdmin(_ReadOnlyAdmin):
    list_display = ["kid", "first_used_at", "retired_at", "withdrawn_at"]
    fields = ["kid", "x", "y", "first_used_at", "retired_at", "withdrawn_at"]
    actions = ["withdraw"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Needed for the action to show; every field stays read-only.
        return obj is None and bool(request.user.is_staff)

    @admin.action(description=_("Withdraw (compromised key: its seals stop verifying)"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[SealKey]) -> None:
        for row in queryset:
            seal_key_withdraw(actor=request.user, kid=row.kid)
        messages.warning(request, _("Withdrawn. Reissue the documents these keys sealed."))
