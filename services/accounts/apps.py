from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "services.accounts"
    label = "accounts"
    verbose_name = _("Services and staff")

    def ready(self):
        from . import receivers  # noqa: F401
