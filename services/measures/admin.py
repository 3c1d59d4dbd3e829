from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin

from .models import Instrument, ServiceForm, TrajectoryModel


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["key", "version", "purpose", "active", "loaded_at"]
    list_filter = ["purpose", "active", "key"]
    search_fields = ["key"]
    readonly_fields = ["loaded_at"]


@admin.register(TrajectoryModel)
class TrajectoryModelAdmin(admin.ModelAdmin):
    list_display = ["service", "network", "age_group", "method", "n_episodes", "fitted_at"]
    list_filter = ["method", "age_group", "service", "network"]
    search_fields = ["service__name", "service__code", "network__name", "network__code"]
    readonly_fields = ["fitted_at"]


@admin.register(ServiceForm)
class ServiceFormAdmin(ReadOnlyAdmin):
    """Read only: a service's forms are chosen on its administration page, which audits every
    change (issue #12, item 10)."""

    list_display = ["service", "purpose", "age_group", "instrument", "chosen_by", "chosen_at"]
    list_filter = ["purpose", "age_group", "service"]
    search_fields = ["service__name", "service__code", "instrument__key"]
