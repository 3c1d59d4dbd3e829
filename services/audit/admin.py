from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin

from .admin_access import ClientDataAdmin
from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ClientDataAdmin, ReadOnlyAdmin):
    """Read-only: the log is evidence, so nobody edits or deletes it here (nor can the database).

    The chain position shows which events `seal_audit_log` has sealed; the seal columns are on
    each event's page, to compare with what `verify_audit_log` reports (docs/audit.md).
    """

    service_field = "service_id"

    list_display = [
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "client_id",
        "ip_address",
        "chain_position",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["actor", "object_id", "detail"]
    date_hierarchy = "at"
