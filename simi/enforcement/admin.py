from django.contrib import admin

from simi.enforcement.models import ActionType


@admin.register(ActionType)
class ActionTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_id", "legal_basis", "effect", "needs_approval", "is_active")
    list_filter = ("effect", "needs_approval", "is_active")
    readonly_fields = ("code", "effect", "source")
    ordering = ("sort_order", "code")
