from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "services.measures"
    label = "measures"
    verbose_name = _("Instruments")

    def ready(self):
        from . import receivers  # noqa: F401  (gives new services the built-in forms)
