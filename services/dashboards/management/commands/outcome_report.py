import json

from django.core.management.base import BaseCommand, CommandError

from feedback.cli import iso_date
from services.accounts.models import Service
from services.dashboards.outcomes import Scope, outcome_report


class Command(BaseCommand):
    help = "Print a service's outcome figures for a period (inclusive), as JSON or text."
    # Issue #14: an operator's quick read (target 0.4 s, Python's start included). Django's
    # system checks imported every URL configuration and view first, a sixth of the command's
    # CPU, to judge settings and code this read-only report does not depend on; they run with
    # `migrate` and `check --deploy` at every deploy (docs/deploy.md) and in the test suite.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--service", required=True, help="service code")
        parser.add_argument("--from", dest="start", type=iso_date, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=iso_date, help="YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, service: str, start, end, json: bool, **options):
        found = Service.objects.filter(code=service).first()
        if found is None:
            raise CommandError(f"No service with code {service!r}")
        if start and end and start > end:
            raise CommandError("--from is after --to")
        report = {"service": found.code, **outcome_report(Scope(found.pk, start, end))}
        if json:
            self.stdout.write(_dumps(report))
        else:
            self.stdout.write(_as_text(report))


def _dumps(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def _as_text(report: dict, prefix: str = "") -> str:
    lines = []
    for key, value in report.items():
        if isinstance(value, dict):
            lines.append(_as_text(value, f"{prefix}{key}."))
        else:
            lines.append(f"{prefix}{key}: {'–' if value is None else value}")
    return "\n".join(lines)
