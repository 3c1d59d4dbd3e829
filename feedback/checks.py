"""Deployment checks of our own, shown by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache_in_production(app_configs, **kwargs):
    """Request limits and cached charts must be shared by every server process and host."""
    if settings.DEBUG or settings.CACHES["default"]["BACKEND"] not in PER_PROCESS:
        return []
    return [
        Warning(
            "The cache lives in each server process, so request limits are looser with every "
            "process and cached charts are not shared.",
            hint="Set REDIS_URL, e.g. redis://127.0.0.1:6379/0.",
            id="feedback.W001",
        )
    ]
