from django.contrib import admin

from services.audit.admin_access import ClientDataAdmin

from .models import Client, Episode


class EpisodeInline(admin.TabularInline):
    model = Episode
    extra = 0
    fields = ["code", "team", "start_date", "end_date", "end_reason"]
    show_change_link = True


@admin.register(Client)
class ClientAdmin(ClientDataAdmin, admin.ModelAdmin):
    client_field, service_field = "pk", "service_id"
    list_display = ["code", "display_name", "age_group", "service", "created_at"]
    list_filter = ["service", "age_group"]
    search_fields = ["code", "display_name"]
    inlines = [EpisodeInline]


@admin.register(Episode)
class EpisodeAdmin(ClientDataAdmin, admin.ModelAdmin):
    list_display = ["__str__", "service", "team", "start_date", "end_date", "end_reason"]
    list_filter = ["service", "team", "end_reason", ("end_date", admin.EmptyFieldListFilter)]
    search_fields = ["code", "client__code", "client__display_name"]
    date_hierarchy = "start_date"
    filter_horizontal = ["helpers"]
    raw_id_fields = ["client"]
