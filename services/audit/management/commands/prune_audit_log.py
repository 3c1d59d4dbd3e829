from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from services.audit import retention
from services.clients.privacy import retention_cutoff


class Command(BaseCommand):
    help = (
        "Remove audit events older than the retention period, logging that it did (the job "
        "worker runs it weekly). The only way audit events are ever removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-years",
            type=int,
            default=None,
            help="retention in years (default: the AUDIT_RETENTION_YEARS setting)",
        )

    def handle(self, *args, older_than_years, **options):
        years = settings.AUDIT_RETENTION_YEARS if older_than_years is None else older_than_years
        if years < 1:
            raise CommandError("--older-than-years must be at least 1")
        before = retention_cutoff(timezone.now(), years)
        count = retention.prune(before)
        self.stdout.write(f"Removed {count} event(s) before {before:%Y-%m-%d}")
