"""Links and reminders sent to the client by text message or e-mail, from the job worker."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "services.messaging"
    label = "messaging"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from django.core import checks

        from .checks import check_sms_settings

        checks.register(check_sms_settings)
