from django.contrib import admin

from services.audit.admin_access import ClientDataAdmin

from .models import Session


@admin.register(Session)
class SessionAdmin(ClientDataAdmin, admin.ModelAdmin):
    client_field, service_field = "episode__client_id", "episode__client__service_id"
    list_display = ["__str__", "date", "number", "helper", "kind"]
    list_filter = ["kind", "episode__service", "helper"]
    search_fields = ["episode__client__code", "episode__code"]
    date_hierarchy = "date"
    raw_id_fields = ["episode"]
