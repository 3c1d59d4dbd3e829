"""The clients' comments in the platform operator's admin, to look at only: a comment is the
client's own words, written once on the thank-you page, and every read here is audited."""

from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin
from services.audit.admin_access import ClientDataAdmin

from .models import SessionComment


@admin.register(SessionComment)
class SessionCommentAdmin(ClientDataAdmin, ReadOnlyAdmin):
    client_field = "rating__session__episode__client_id"
    service_field = "rating__session__episode__service_id"
    list_display = ["rating", "created_at"]
    list_select_related = ["rating__session__episode__client", "rating__instrument"]
    list_filter = ["rating__session__episode__service"]
    search_fields = ["rating__session__episode__client__code"]
    date_hierarchy = "created_at"
