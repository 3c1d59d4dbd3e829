import csv

from django.core.management.base import BaseCommand, CommandError

from feedback.cli import iso_date
from feedback.spreadsheet import safe_row
from services.accounts.models import Service
from services.audit import log
from services.audit.models import Action
from services.ratings.interchange import export_rows


class Command(BaseCommand):
    help = (
        "Write ratings as interchange CSV (pseudonymous codes only) to standard output or a file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--service", help="service code (default: all services)")
        parser.add_argument("--from", dest="start", type=iso_date, help="first session date")
        parser.add_argument("--to", dest="end", type=iso_date, help="last session date")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, service, start, end, output, **options):
        scope = None
        if service:
            scope = Service.objects.filter(code=service).first()
            if scope is None:
                raise CommandError(f"No service with code {service!r}")
        rows = export_rows(scope, start, end)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                count = _write(stream, rows)
        else:
            count = _write(self.stdout, rows)
        log.record(
            Action.EXPORT, actor="export_ratings", service=scope, detail=f"{count} rating(s)"
        )
        self.stderr.write(f"Exported {count} rating(s)")


def _write(stream, rows) -> int:
    """Write the rows with formula-like cells quoted (feedback.spreadsheet), count the ratings."""
    writer = csv.writer(stream, lineterminator="\n")
    count = -1
    for row in rows:
        writer.writerow(safe_row(row))
        count += 1
    return count
