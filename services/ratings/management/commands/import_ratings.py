from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from services.audit import log
from services.audit.models import Action
from services.ratings.interchange import ImportRejected, import_rows, read_bytes


class Command(BaseCommand):
    help = (
        "Import ratings from an interchange CSV file (docs/interchange.md). All-or-nothing; "
        "re-importing changes nothing. The helper column must name helpers of the row's service; "
        "see --create-helpers for usernames that do not exist yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--create-helpers",
            action="store_true",
            help=(
                "create a new, inactive account without a password, a helper in the row's "
                "service, for each helper username that does not exist at all. An existing "
                "user who is not a helper in that service is always an error."
            ),
        )

    def handle(self, *args, file: Path, create_helpers: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            with file.open("rb") as stream:
                summary = import_rows(read_bytes(stream), create_helpers=create_helpers)
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
        if summary.created.get("helpers"):
            self.stdout.write(
                "New helper accounts are inactive: an administrator activates each one and its "
                "owner sets a password before it can be used."
            )
