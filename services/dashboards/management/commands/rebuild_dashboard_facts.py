"""Bring the dashboard facts up to date (see services.dashboards.facts).

`--pending` takes in the changes since the last dashboard read, as a read would: the job worker
runs it every two minutes (services.jobs), so a leader's page seldom waits for them. Without it,
every client's facts are built anew: after loading data with bulk tools, or as a repair.
"""

from django.core.management.base import BaseCommand, CommandError

from services.accounts.models import Service
from services.dashboards import facts
from services.dashboards.warm import warm_default_charts


class Command(BaseCommand):
    help = "Rebuild the dashboard facts of every client (or one service's), or only pending ones."

    def add_arguments(self, parser):
        parser.add_argument("--service", help="service code (default: every service)")
        parser.add_argument(
            "--pending", action="store_true", help="only the clients changed since the last read"
        )

    def handle(self, *args, service: str | None = None, pending: bool = False, **options):
        if pending:
            if service:
                raise CommandError("--pending takes in every service's changes; leave --service.")
            count = facts.refresh_outdated()
            if count:
                warm_default_charts()  # as the job worker does (services.dashboards.warm)
            self.stdout.write(f"Took in the changes of {count} clients.")
            return
        service_id = None
        if service:
            found = Service.objects.filter(code=service).first()
            if found is None:
                raise CommandError(f"No service with code {service!r}.")
            service_id = found.pk
        count = facts.rebuild_all(service_id)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the dashboard facts of {count} clients."))
