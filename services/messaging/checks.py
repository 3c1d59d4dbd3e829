"""`manage.py check` refuses SMS settings that would fail every message, so a typo in the
gateway's address or template shows at deploy time, not as "not sent" on the helpers' pages."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def check_sms_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from . import gateways

    try:
        backend = gateways.sms_backend()
    except (ImportError, ImproperlyConfigured) as error:
        return [checks.Error(f"SMS_BACKEND: {error}", id="messaging.E001")]
    if isinstance(backend, gateways.HttpJsonSmsBackend):
        try:
            gateways.fill_template(backend.template, to="+4700000000", text="x", sender="x")
        except ImproperlyConfigured as error:
            return [checks.Error(str(error), id="messaging.E002")]
    return []
