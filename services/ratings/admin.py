from django.contrib import admin

from services.audit.admin_access import ClientDataAdmin

from .models import Handover, Rating


@admin.register(Rating)
class RatingAdmin(ClientDataAdmin, admin.ModelAdmin):
    client_field = "session__episode__client_id"
    service_field = "session__episode__client__service_id"
    list_display = ["session", "instrument", "rater", "total", "method", "rated_at"]
    list_filter = ["purpose", "instrument", "rater", "method", "session__episode__service"]
    search_fields = ["session__episode__client__code", "submission_key"]
    date_hierarchy = "rated_at"
    raw_id_fields = ["session"]
    readonly_fields = ["submission_key", "created_at"]


@admin.register(Handover)
class HandoverAdmin(ClientDataAdmin, admin.ModelAdmin):
    """Read-only: handovers are made and used through the app, never edited."""

    client_field = "session__episode__client_id"
    service_field = "session__episode__client__service_id"

    list_display = [
        "session",
        "instrument",
        "method",
        "rater",
        "created_at",
        "expires_at",
        "used_at",
    ]
    list_filter = ["method", "instrument", "session__episode__service"]
    search_fields = ["session__episode__client__code"]
    date_hierarchy = "created_at"
    raw_id_fields = ["session", "rating"]
    readonly_fields = ["token", "created_by", "created_at", "used_at", "rating"]
