from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from services.audit import log
from services.audit.models import Action
from services.ratings.interchange import ImportRejected, import_rows, read_rows


class Command(BaseCommand):
    help = (
        "Import ratings from an interchange CSV file. All-or-nothing; re-importing changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            with file.open(encoding="utf-8-sig", newline="") as stream:
                summary = import_rows(read_rows(stream))
        except UnicodeDecodeError:
            raise CommandError(f"{file}: not UTF-8 text") from None
        except ImportRejected as rejected:
            raise CommandError(f"{file} was not imported:\n{rejected}") from None
        created = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.created.items()))
        log.record(Action.IMPORT, actor="import_ratings", detail=f"{file.name}: {created}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file}: created {created or 'nothing'}; "
                f"{summary.unchanged} rating(s) already stored"
            )
        )
