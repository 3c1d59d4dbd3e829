from django.contrib import admin

from .models import Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["session", "instrument", "rater", "total", "method", "rated_at"]
    list_filter = ["purpose", "instrument", "rater", "method", "session__episode__service"]
    search_fields = ["session__episode__client__code", "submission_key"]
    date_hierarchy = "rated_at"
    raw_id_fields = ["session"]
    readonly_fields = ["submission_key", "created_at"]
