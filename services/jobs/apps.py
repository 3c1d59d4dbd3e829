from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Installed so procrastinate's Django integration finds `tasks` (it imports every app's)."""

    name = "services.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
