from django.contrib import admin

from .models import Instrument


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["key", "version", "purpose", "active", "loaded_at"]
    list_filter = ["purpose", "active", "key"]
    search_fields = ["key"]
    readonly_fields = ["loaded_at"]
