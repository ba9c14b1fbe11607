from django.contrib import admin

from simi.portal.models import PageFeedback


@admin.register(PageFeedback)
class PageFeedbackAdmin(admin.ModelAdmin):
    """Read only: the public's answers are evidence, not something to edit."""

    list_display = ["created_at", "path", "answer", "language"]
    list_filter = ["answer", "language"]
    search_fields = ["path"]
    readonly_fields = ["path", "answer", "comment", "language", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
