from django.contrib import admin

from .models import Instrument, TrajectoryModel


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["key", "version", "purpose", "active", "loaded_at"]
    list_filter = ["purpose", "active", "key"]
    search_fields = ["key"]
    readonly_fields = ["loaded_at"]


@admin.register(TrajectoryModel)
class TrajectoryModelAdmin(admin.ModelAdmin):
    list_display = ["service", "method", "n_episodes", "fitted_at"]
    list_filter = ["method", "service"]
    search_fields = ["service__name", "service__code"]
    readonly_fields = ["fitted_at"]
