"""Goals in the platform operator's admin, to look at only: they are written, and audited, on
the helper's pages; reading them here is logged like any other client data."""

from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin
from services.audit.admin_access import ClientDataAdmin

from .models import Goal, GoalRating


@admin.register(Goal)
class GoalAdmin(ClientDataAdmin, ReadOnlyAdmin):
    client_field, service_field = "episode__client_id", "episode__service_id"
    list_display = ["episode", "position", "status", "created_on", "status_on"]
    list_select_related = ["episode__client"]
    list_filter = ["status", "episode__service"]
    search_fields = ["episode__client__code"]
    date_hierarchy = "created_on"


@admin.register(GoalRating)
class GoalRatingAdmin(ClientDataAdmin, ReadOnlyAdmin):
    client_field = "goal__episode__client_id"
    service_field = "goal__episode__service_id"
    list_display = ["goal", "session", "score", "method", "rated_at"]
    list_select_related = ["goal", "session__episode__client"]
    list_filter = ["method", "goal__episode__service"]
    search_fields = ["goal__episode__client__code", "submission_key"]
    date_hierarchy = "rated_at"
