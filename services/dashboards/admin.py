"""The dashboard facts, to look at only: they are derived data, rebuilt from the clients' data
(`manage.py rebuild_dashboard_facts`), so an edit here would only be overwritten or, worse, be
believed until then."""

from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin
from services.audit.admin_access import ClientDataAdmin

from .models import (
    CollateralFact,
    DailyActivity,
    EpisodeFact,
    EpisodeSummary,
    MonthlyReportFile,
    PendingChange,
    SessionFact,
)


@admin.register(SessionFact)
class SessionFactAdmin(ClientDataAdmin, ReadOnlyAdmin):
    service_field = "service_id"
    list_display = ["session", "service", "day", "team", "helper", "ors_rated", "srs_total"]
    list_filter = ["service", "team"]
    date_hierarchy = "day"


@admin.register(EpisodeFact)
class EpisodeFactAdmin(ClientDataAdmin, ReadOnlyAdmin):
    service_field = "service_id"
    list_display = ["episode", "service", "start_date", "end_date", "ors_count", "paired"]
    list_filter = ["service", "team", "paired"]


@admin.register(EpisodeSummary)
class EpisodeSummaryAdmin(ClientDataAdmin, ReadOnlyAdmin):
    service_field = "service_id"
    list_display = ["episode", "service", "sessions", "last_session", "latest", "signals"]
    list_filter = ["service", "team"]


@admin.register(CollateralFact)
class CollateralFactAdmin(ClientDataAdmin, ReadOnlyAdmin):
    service_field = "service_id"
    list_display = ["episode", "service", "rater", "form", "ratings", "paired", "improved"]
    list_filter = ["service", "rater", "paired"]


@admin.register(DailyActivity)
class DailyActivityAdmin(ReadOnlyAdmin):
    list_display = ["day", "service", "team", "helper", "sessions", "ors_rated", "srs_n"]
    list_filter = ["service", "team"]
    date_hierarchy = "day"


@admin.register(PendingChange)
class PendingChangeAdmin(ClientDataAdmin, ReadOnlyAdmin):
    service_field = "service_id"
    list_display = ["id", "client_id", "service_id", "day"]
    search_fields = ["client_id"]


@admin.register(MonthlyReportFile)
class MonthlyReportFileAdmin(ReadOnlyAdmin):
    """Made by the job `store_monthly_reports`; leaders download them from their dashboard."""

    list_display = ["service", "month", "language", "created_at"]
    list_filter = ["service"]
    exclude = ["pdf"]
