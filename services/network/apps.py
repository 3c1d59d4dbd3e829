from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "services.network"
    label = "network"
    verbose_name = _("Networks")

    def ready(self):
        from . import receivers  # noqa: F401  (remembers at login whether the user coordinates)
