from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "services.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards and reports")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the receivers)
