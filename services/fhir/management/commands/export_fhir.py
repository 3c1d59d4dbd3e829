import json

from django.core.management.base import BaseCommand, CommandError

from feedback.cli import iso_date
from services.accounts.models import Service
from services.audit.models import Action
from services.clients.models import Client
from services.fhir.audit import record_clients
from services.fhir.export import export_client, export_service


class Command(BaseCommand):
    help = (
        "Write a FHIR R4B Bundle (docs/fhir.md) of one client (--service and --client) or of a "
        "service's sessions in a period (--service, --from, --to) to standard output or a file. "
        "Clients appear by their pseudonymous code only. Each client exported is logged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--service", required=True, help="service code")
        parser.add_argument("--client", help="one client's code (default: the whole service)")
        parser.add_argument("--from", dest="start", type=iso_date, help="first session date")
        parser.add_argument("--to", dest="end", type=iso_date, help="last session date")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, service, client, start, end, output, **options):
        scope = Service.objects.filter(code=service).first()
        if scope is None:
            raise CommandError(f"No service with code {service!r}")
        if client is not None:
            if start is not None or end is not None:
                raise CommandError("--from and --to are for a whole service, not with --client")
            found = Client.objects.filter(service=scope, code=client).first()
            if found is None:
                raise CommandError(f"No client {client!r} in service {service!r}")
            exported = export_client(found)
        else:
            if start is not None and end is not None and end < start:
                raise CommandError("--to is before --from")
            exported = export_service(scope, start, end)
        text = json.dumps(exported.bundle, ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as stream:
                stream.write(text)
        else:
            self.stdout.write(text, ending="")
        record_clients(
            scope,
            [client_id for client_id, _service in exported.clients],
            action=Action.EXPORT,
            detail="FHIR export",
            actor="export_fhir",
        )
        self.stderr.write(
            f"Exported {len(exported.bundle['entry'])} entries about "
            f"{len(exported.clients)} client(s)"
        )
