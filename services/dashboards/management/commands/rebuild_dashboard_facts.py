"""Build every client's dashboard facts anew: after loading data with bulk tools, or as a repair.

The facts are otherwise kept by the application itself (see services.dashboards.facts).
"""

from django.core.management.base import BaseCommand, CommandError

from services.accounts.models import Service
from services.dashboards import facts


class Command(BaseCommand):
    help = "Rebuild the dashboard facts of every client (or one service's)."

    def add_arguments(self, parser):
        parser.add_argument("--service", help="service code (default: every service)")

    def handle(self, *args, service: str | None = None, **options):
        service_id = None
        if service:
            found = Service.objects.filter(code=service).first()
            if found is None:
                raise CommandError(f"No service with code {service!r}.")
            service_id = found.pk
        count = facts.rebuild_all(service_id)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the dashboard facts of {count} clients."))
