from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerConfig(AppConfig):
    name = "services.peer"
    label = "peer"
    verbose_name = _("Peer supervision across services")

    def ready(self):
        from . import receivers  # noqa: F401  (remembers at login whether the user may share)
