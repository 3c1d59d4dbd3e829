from django.core.management.base import BaseCommand

from services.audit.chain import seal_pending


class Command(BaseCommand):
    help = (
        "Seal the audit events written since the last run into the hash chain (the job worker "
        "runs it every few minutes)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Sealed {seal_pending()} event(s)")
