from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    """Care sessions (samtaler). Labelled `care_sessions`: `sessions` is django.contrib's."""

    name = "services.sessions"
    label = "care_sessions"
    verbose_name = _("Sessions")
