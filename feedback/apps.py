"""The Django admin app, installed with our operators-only site (see feedback.admin_site).

It is also the project's one app config, so it registers the project's deployment checks.
"""

from django.contrib.admin.apps import AdminConfig


class OperatorAdminConfig(AdminConfig):
    default_site = "feedback.admin_site.OperatorAdminSite"

    def ready(self):
        super().ready()
        from . import checks  # noqa: F401
