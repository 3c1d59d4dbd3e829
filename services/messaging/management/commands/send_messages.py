"""`manage.py send_messages`: send the queued links and reminders that are due, now.

The job worker runs the same every minute (`services.messaging.tasks`); this is for a server
without the worker (SQLite, development) and for an operator who wants to see it happen.
"""

from django.core.management.base import BaseCommand

from services.messaging import sending
from services.messaging.tasks import summarise


class Command(BaseCommand):
    help = "Send the queued text messages and e-mails with remote links that are due."

    def handle(self, *args, **options):
        self.stdout.write(summarise(sending.send_due()))
