"""Projects and their exports in the platform operator's admin, to look at only: leaders create,
approve and withdraw projects in the app, where each step is in the access log. The project's
secret (the key of its row ids) is never shown."""

from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin

from .models import ResearchExport, ResearchProject


@admin.register(ResearchProject)
class ResearchProjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "service", "recipient", "approved_at", "expires_on", "withdrawn_at"]
    list_select_related = ["service"]
    list_filter = ["service"]
    search_fields = ["name", "recipient", "service__name"]
    exclude = ["secret"]


@admin.register(ResearchExport)
class ResearchExportAdmin(ReadOnlyAdmin):
    list_display = ["project", "actor", "made_at", "rows", "suppressed_rows", "k", "level"]
    list_select_related = ["project"]
    date_hierarchy = "made_at"
