from django.contrib import admin

from feedback.admin_site import ReadOnlyAdmin

from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    """Read-only: keys are made and revoked, with an audit row, on the service's administration
    page, which shows the secret once; only its hash is stored."""

    list_display = ["name", "prefix", "service", "scope", "expires_at", "revoked_at"]
    list_filter = ["service", "scope"]
    search_fields = ["name", "prefix", "service__name"]
