from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin
from services.audit.admin_access import ClientDataAdmin

from .models import RatingCorrection, Session


@admin.register(Session)
class SessionAdmin(ClientDataAdmin, admin.ModelAdmin):
    client_field, service_field = "episode__client_id", "episode__client__service_id"
    list_display = ["__str__", "date", "number", "helper", "kind"]
    list_filter = ["kind", "episode__service", "helper"]
    search_fields = ["episode__client__code", "episode__code"]
    date_hierarchy = "date"
    raw_id_fields = ["episode"]


@admin.register(RatingCorrection)
class RatingCorrectionAdmin(ClientDataAdmin, ReadOnlyAdmin):
    """The history of corrected answers: evidence, written only by the correction pages."""

    client_field, service_field = "episode__client_id", "episode__client__service_id"
    list_display = ["rating_id", "episode", "kind", "actor", "at"]
    list_filter = ["kind"]
    search_fields = ["episode__client__code"]
    raw_id_fields = ["episode", "moved_to"]
