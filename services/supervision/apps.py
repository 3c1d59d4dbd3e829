from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "services.supervision"
    label = "supervision"
    verbose_name = _("Supervision and signal follow-up")

    def ready(self):
        from . import receivers  # noqa: F401  (remembers at login whether the user supervises)
