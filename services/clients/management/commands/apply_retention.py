from django.core.management.base import BaseCommand
from django.utils import timezone

from services.accounts.models import Service
from services.clients.privacy import apply_retention


class Command(BaseCommand):
    help = (
        "Anonymise (or with --delete, delete) episodes closed more than each service's retention "
        "period ago. Safe to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--service", help="only this service code")
        parser.add_argument("--delete", action="store_true", help="delete instead of anonymise")

    def handle(self, *args, service, delete, **options):
        services = Service.objects.all()
        if service:
            services = services.filter(code=service)
        today = timezone.localdate()
        for target in services:
            result = apply_retention(target, today, delete=delete)
            if result.clients or result.forgotten_participants:
                self.stdout.write(
                    f"{target.code} (keeps {target.retention_years} years): "
                    f"{result.anonymised} client(s) anonymised, "
                    f"{result.moved_episodes} episode(s) moved to anonymous clients, "
                    f"{result.deleted_episodes} episode(s) deleted, "
                    f"{result.forgotten_participants} group participant name(s) forgotten"
                )
            else:
                self.stdout.write(f"{target.code}: nothing to do")
