from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from services.accounts.models import Service
from services.audit import log
from services.audit.models import Action
from services.dashboards.report import default_month, monthly_report, parse_month


class Command(BaseCommand):
    help = "Write a service's monthly report (PDF) for a month, by default the last full one."

    def add_arguments(self, parser):
        parser.add_argument("--service", required=True, help="service code")
        parser.add_argument("--month", default="", help="YYYY-MM (default: last month)")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument("--language", default="nb", choices=["nb", "nn", "en"])

    def handle(self, *args, service: str, month: str, output: str, language: str, **options):
        found = Service.objects.filter(code=service).first()
        if found is None:
            raise CommandError(f"No service with code {service!r}")
        try:
            year, number = parse_month(month) if month else default_month(timezone.localdate())
        except ValueError as error:
            raise CommandError(str(error)) from None
        with translation.override(language):
            pdf = monthly_report(found, year, number)
        Path(output).write_bytes(pdf)
        log.record(
            Action.EXPORT,
            actor="monthly_report",
            service=found,
            detail=f"monthly report pdf {year}-{number:02d} to {Path(output).name}",
        )
        self.stdout.write(f"Wrote {output} ({len(pdf)} bytes) for {found.code} {year}-{number:02d}")
