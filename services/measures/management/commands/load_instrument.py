from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from services.measures.definitions import DefinitionError
from services.measures.loading import load_definition, read_definition_file


class Command(BaseCommand):
    help = (
        "Load an instrument definition (an organisation's licensed wording, or a new "
        "instrument) from JSON or YAML."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            instrument, created = load_definition(read_definition_file(file))
        except DefinitionError as error:
            raise CommandError(str(error)) from None
        verb = "Loaded" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} {instrument}"))
        if created:
            # Loading never changes what clients are given (issue #12, item 10).
            self.stdout.write(
                "No service uses it yet: a service administrator chooses it under "
                "Service administration > Forms."
            )
