"""Django's admin, for platform operators only.

A service's administrator manages their own service in the app (services.accounts.staff_views);
the Django admin crosses every service, so it is only for the people who run the installation:
active superusers who are members of no service. They are made with `createsuperuser`, never by
the app, and two-factor login applies to them as to everyone.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from services.accounts.access import is_platform_operator


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows nobody may add, change or delete in the admin: evidence (the audit log),
    derived data (the dashboard facts) and choices made, and audited, in the app."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OperatorAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Tilbakemeldinger: platform operation")
    site_title = site_header

    def has_permission(self, request):
        return is_platform_operator(request.user)
