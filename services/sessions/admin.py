from django.contrib import admin

from .models import Session


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date", "number", "helper", "kind"]
    list_filter = ["kind", "episode__service", "helper"]
    search_fields = ["episode__client__code", "episode__code"]
    date_hierarchy = "date"
    raw_id_fields = ["episode"]
