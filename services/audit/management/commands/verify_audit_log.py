from django.core.management.base import BaseCommand, CommandError

from services.audit.chain import verify


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain; fail with the first broken event's id (the job worker "
        "runs it nightly; keep the output outside the database)."
    )

    def handle(self, *args, **options):
        verdict = verify()
        if not verdict.intact:
            raise CommandError(
                f"Audit chain broken at event {verdict.broken_at}: {verdict.problem} "
                f"({verdict.events} event(s) before it verified)"
            )
        line = f"{verdict.events} events, chain intact"
        if verdict.last_position is not None:
            line += f"; last seal at position {verdict.last_position}: {verdict.last_seal}"
        if verdict.unsealed:
            line += f"; {verdict.unsealed} event(s) not sealed yet"
        self.stdout.write(line)
