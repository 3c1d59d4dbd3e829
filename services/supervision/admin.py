"""Supervision in the platform operator's admin, to look at only: grants are given, and notes
written, in the app, where each is audited; the raised signals are derived data, rebuilt with
the dashboard facts."""

from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin
from services.audit.admin_access import ClientDataAdmin

from .models import Discussion, RaisedSignal, SignalFollowUp, SupervisorGrant


@admin.register(SupervisorGrant)
class SupervisorGrantAdmin(ReadOnlyAdmin):
    list_display = ["user", "service", "granted_by", "granted_at"]
    list_select_related = ["user", "service", "granted_by"]
    list_filter = ["service"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


@admin.register(Discussion)
class DiscussionAdmin(ClientDataAdmin, ReadOnlyAdmin):
    client_field, service_field = "episode__client_id", "service_id"
    list_display = ["episode", "service", "discussed_on", "helper", "supervisor"]
    list_select_related = ["episode__client", "service", "helper", "supervisor"]
    list_filter = ["service"]
    search_fields = ["episode__client__code"]
    date_hierarchy = "discussed_on"


@admin.register(SignalFollowUp)
class SignalFollowUpAdmin(ClientDataAdmin, ReadOnlyAdmin):
    client_field, service_field = "episode__client_id", "service_id"
    list_display = ["episode", "service", "signal", "session", "recorded_by", "recorded_at"]
    list_select_related = ["episode__client", "service", "session__episode__client", "recorded_by"]
    list_filter = ["service", "signal"]
    search_fields = ["episode__client__code"]


@admin.register(RaisedSignal)
class RaisedSignalAdmin(ClientDataAdmin, ReadOnlyAdmin):
    service_field = "service_id"
    list_display = ["episode", "service", "signal", "number", "day", "window_closed"]
    list_select_related = ["episode__client", "service"]
    list_filter = ["service", "signal", "window_closed"]
    date_hierarchy = "day"
