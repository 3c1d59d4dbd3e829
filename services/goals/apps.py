from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "services.goals"
    label = "goals"
    verbose_name = _("The client's own goals")

    def ready(self) -> None:
        from django.core import checks

        from .definition import check_goal_wording

        checks.register(check_goal_wording)
