from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin
from services.audit.admin_access import ClientDataAdmin

from .models import OutgoingMessage


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(ClientDataAdmin, ReadOnlyAdmin):
    """Read-only, and without the recipient: an operator sees what was sent when and why it
    failed, with the mask the helper sees, never the number or address."""

    client_field = "handover__session__episode__client_id"
    service_field = "handover__session__episode__client__service_id"

    list_display = ["created_at", "kind", "channel", "recipient_hint", "status", "attempts"]
    list_filter = ["status", "channel", "kind", "last_error"]
    search_fields = ["handover__session__episode__client__code"]
    date_hierarchy = "created_at"
    exclude = ["recipient"]
