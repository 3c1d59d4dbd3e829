"""The entries in the platform operator's admin, to look at only: leaders write and publish
them in the app, where each change is in the access log. They name no client."""

from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin

from .models import ChangeMade


@admin.register(ChangeMade)
class ChangeMadeAdmin(ReadOnlyAdmin):
    list_display = ["changed_on", "service", "source", "theme", "did", "published"]
    list_select_related = ["service", "theme"]
    list_filter = ["service", "source", "published"]
    search_fields = ["said", "did", "service__name"]
    date_hierarchy = "changed_on"
