from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from services.research import export
from services.research.models import ResearchProject

ACTOR = "command research_export"


class Command(BaseCommand):
    help = (
        "Write a research project's de-identified, k-anonymous data set (docs/research.md) as a "
        "ZIP of data.csv, dictionary.csv and README.txt. Only an approved project that is "
        "neither withdrawn nor expired; each export is recorded and logged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--service", required=True, help="service code")
        parser.add_argument("--project", required=True, type=int, help="project number")
        parser.add_argument("--output", "-o", required=True, help="the ZIP file to write")

    def handle(self, *args, service, project, output, **options):
        found = (
            ResearchProject.objects.filter(service__code=service, pk=project)
            .select_related("service", "approved_by")
            .first()
        )
        if found is None:
            raise CommandError(f"No research project {project} in service {service!r}")
        if not Path(output).resolve().parent.is_dir():
            raise CommandError(f"No folder for {output!r}")  # before the export is logged
        try:
            made = export.export(found, actor=ACTOR)
        except export.NotExportable:
            raise CommandError(
                f"Project {project} may not be exported: it must be approved, not withdrawn "
                "and not expired"
            ) from None
        with open(output, "wb") as stream:
            stream.write(made.content)
        self.stderr.write(
            f"Wrote {output}: {made.record.rows} rows, {made.record.suppressed_rows} left out, "
            f"k={made.record.k}"
        )
