from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from services.accounts.models import Service
from services.fhir.importing import BundleRejected, import_bundle


class Command(BaseCommand):
    help = (
        "Import the QuestionnaireResponses of a FHIR R4B Bundle (JSON) into one service "
        "(docs/fhir.md). All-or-nothing; importing the same bundle again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--service", required=True, help="service code")
        parser.add_argument("file", type=Path)

    def handle(self, *args, service: str, file: Path, **options):
        scope = Service.objects.filter(code=service).first()
        if scope is None:
            raise CommandError(f"No service with code {service!r}")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            summary = import_bundle(scope, file.read_bytes(), actor="import_fhir")
        except BundleRejected as rejected:
            raise CommandError(f"{file} was not imported:\n{rejected}") from None
        created = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.created.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file}: created {created or 'nothing'}; "
                f"{summary.unchanged} rating(s) already stored"
            )
        )
