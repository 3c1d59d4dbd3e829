from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "services.goals"
    label = "goals"
    verbose_name = _("The client's own goals")
