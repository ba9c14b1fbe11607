from django.contrib import admin

from simi.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "full_name",
        "role",
        "office",
        "is_active",
        "email_verified_at",
        "is_demo",
    ]
    list_filter = ["role", "office", "is_active", "is_demo"]
    # The full name is encrypted (docs/security.md): accounts are found by address.
    search_fields = ["email"]
    exclude = ["password", "groups", "user_permissions"]
    readonly_fields = ["public_id", "last_login", "created_at", "updated_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["public_id", "prefix", "digest", "created_at", "updated_at", "last_used_at"]
    search_fields = ["name", "prefix"]
